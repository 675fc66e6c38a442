"""Reads about proofs of use: which granted years are due or overdue (for reminders and the
state office), and the rows of an application's proof page. Constant queries whatever the
number of applications: one for the granted years with their proof and deadline."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from funding.models import (
    DecisionKind,
    DecisionYear,
    Payment,
    ProofOfUse,
    ProofOfUseEvent,
    ProofStatus,
)
from funding.services.proofs import RETURN_ACTION, due_date

OPEN_PROOF_STATUSES = (None, ProofStatus.DRAFT)


@dataclass(frozen=True)
class GrantedYear:
    application_id: int
    application_number: str
    municipality_id: int
    municipality_name: str
    year: int
    grant: Decimal
    due_on: date
    proof_id: int | None
    proof_status: str | None

    def is_overdue(self, today: date) -> bool:
        return self.proof_status in OPEN_PROOF_STATUSES and self.due_on < today


def granted_years(*, open_only: bool = False, **filters) -> list[GrantedYear]:
    """Every year a current Bescheid grants money for, with its proof (if opened) and due date;
    `open_only`: only those whose proof is not submitted yet. The due date is the proof's own
    once opened, else computed from the deadline the Bescheid promised."""
    proofs = ProofOfUse.objects.filter(
        application_id=OuterRef("decision__application_id"), year=OuterRef("year")
    )
    rows = (
        DecisionYear.objects.filter(decision__is_current=True, grant__gt=0, **filters)
        .exclude(decision__kind=DecisionKind.REJECTION)
        .annotate(
            proof_id=Subquery(proofs.values("pk")[:1]),
            proof_status=Subquery(proofs.values("status")[:1]),
            proof_due_on=Subquery(proofs.values("due_on")[:1]),
        )
    )
    if open_only:
        rows = rows.filter(Q(proof_status__isnull=True) | Q(proof_status=ProofStatus.DRAFT))
    rows = list(
        rows.order_by("decision__application__number", "year").values(
            "decision__application_id",
            "decision__application__number",
            "decision__application__municipality_id",
            "decision__application__municipality__short_name",
            "decision__proof_deadline_months",
            "year",
            "grant",
            "proof_id",
            "proof_status",
            "proof_due_on",
        )
    )
    result = []
    for row in rows:
        due_on = row["proof_due_on"] or due_date(
            row["year"], row["decision__proof_deadline_months"]
        )
        result.append(
            GrantedYear(
                application_id=row["decision__application_id"],
                application_number=row["decision__application__number"],
                municipality_id=row["decision__application__municipality_id"],
                municipality_name=row["decision__application__municipality__short_name"],
                year=row["year"],
                grant=row["grant"],
                due_on=due_on,
                proof_id=row["proof_id"],
                proof_status=row["proof_status"],
            )
        )
    return result


def proofs_due_within(days: int, today: date) -> list[GrantedYear]:
    """Granted years whose proof is not submitted yet and falls due in the next `days` days."""
    until = today + timedelta(days=days)
    return [row for row in granted_years(open_only=True) if today <= row.due_on <= until]


def overdue_proofs(today: date) -> list[GrantedYear]:
    """Granted years whose proof was due before `today` and is not submitted."""
    return [row for row in granted_years(open_only=True) if row.due_on < today]


@dataclass(frozen=True)
class ProofRow:
    """One granted year on an application's proof page."""

    granted: GrantedYear
    paid: Decimal
    proof: ProofOfUse | None


def application_proof_rows(application) -> list[ProofRow]:
    granted = granted_years(decision__application=application)
    proofs = {proof.year: proof for proof in ProofOfUse.objects.filter(application=application)}
    paid: dict[int, Decimal] = {}
    for year, amount in Payment.objects.filter(request__application=application).values_list(
        "request__year", "amount"
    ):
        paid[year] = paid.get(year, Decimal("0.00")) + amount
    return [
        ProofRow(granted=row, paid=paid.get(row.year, Decimal("0.00")), proof=proofs.get(row.year))
        for row in granted
    ]


def return_reason(proof: ProofOfUse) -> str:
    """Why the state office gave the proof back, if it is a draft that was given back."""
    if proof.status != ProofStatus.DRAFT:
        return ""
    return (
        ProofOfUseEvent.objects.filter(
            pgh_obj_id=proof.pk, pgh_context__metadata__action=RETURN_ACTION
        )
        .order_by("-pgh_id")
        .values_list("pgh_context__metadata__reason", flat=True)
        .first()
        or ""
    )
