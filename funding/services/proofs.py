"""Proof of use (Verwendungsnachweis, issue 3 §9): the municipality reports per granted year
what it actually spent and how it was financed; the Landeskoordinierungsstelle checks it, writes
the Prüfvermerk, fixes the final grant and claws back what was paid beyond it, with interest
per § 49a VwVfG.

The money is computed by funding.money only, from the terms the current Bescheid copied – a
later change of the funding rule never alters what a municipality has to prove or pay back."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from funding import money
from funding.models import (
    ApplicationYear,
    Decision,
    DecisionKind,
    DecisionYear,
    FinancingType,
    Payment,
    ProofLine,
    ProofOfUse,
    ProofOfUseEvent,
    ProofStatus,
)
from funding.permissions import can_apply, is_reviewer
from funding.services.audit import attributed
from funding.services.errors import FundingError, StaleEditError
from funding.services.notifications import MUNICIPALITY, REVIEWERS, notify
from funding.services.rules import rule_for

RETURN_ACTION = "proof_returned"
# What a money column (12 digits, 2 decimal places) holds.
MAX_AMOUNT = Decimal("10000000000")


def proof_due_on(decision: Decision, year: int) -> date:
    """When the proof of a granted year is due, by the deadline the Bescheid promised."""
    return due_date(year, decision.proof_deadline_months)


def due_date(year: int, months: int) -> date:
    """31 December of the year plus `months`, at the end of that month (six months: 30 June
    of the following year)."""
    index = 11 + months  # December of `year` is month index 11
    due_year, due_month = year + index // 12, index % 12 + 1
    return date(due_year, due_month, calendar.monthrange(due_year, due_month)[1])


def current_decision(application) -> Decision | None:
    return application.decisions.filter(is_current=True).first()


def granted_year(application, year: int) -> DecisionYear:
    """The current Bescheid's grant for the year; a proof exists only for money granted."""
    decision_year = (
        DecisionYear.objects.select_related("decision__application__call__programme")
        .filter(
            decision__application=application,
            decision__is_current=True,
            year=year,
            grant__gt=0,
        )
        .exclude(decision__kind=DecisionKind.REJECTION)
        .first()
    )
    if decision_year is None:
        raise FundingError(
            _("Für %(year)s ist nach dem geltenden Bescheid keine Zuwendung bewilligt.")
            % {"year": year}
        )
    return decision_year


def _require_coordinator(actor, application):
    if not can_apply(actor, application.municipality_id):
        raise FundingError(
            _(
                "Verwendungsnachweise erstellen nur die Koordinatorinnen und Koordinatoren "
                "der Kommune."
            )
        )


def _require_reviewer(actor):
    if not is_reviewer(actor):
        raise FundingError(_("Verwendungsnachweise prüft die Landeskoordinierungsstelle."))


def _locked(proof: ProofOfUse) -> ProofOfUse:
    return ProofOfUse.objects.select_for_update().select_related("application").get(pk=proof.pk)


def _last_editor(proof: ProofOfUse) -> str:
    user_id = (
        ProofOfUseEvent.objects.filter(pgh_obj_id=proof.pk)
        .order_by("-pgh_id")
        .values_list("pgh_context__metadata__user", flat=True)
        .first()
    )
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return str(user) if user else _("einer anderen Person")


def _check_version(proof: ProofOfUse, expected_version: int):
    if proof.version != expected_version:
        raise StaleEditError(
            _(
                "Der Verwendungsnachweis wurde inzwischen von %(who)s geändert. Bitte laden Sie "
                "die Seite neu und tragen Sie Ihre Änderungen erneut ein."
            )
            % {"who": _last_editor(proof)}
        )


def _require_status(proof: ProofOfUse, status: str, message: str):
    if proof.status != status:
        raise FundingError(message % {"status": proof.get_status_display()})


@transaction.atomic
def open_proof(*, application, year: int, actor) -> ProofOfUse:
    """The proof of the year, created on first use with the plan's cost lines as „Soll“ and the
    planned own and third-party funds as a start for „Ist“. Opening twice gives the same proof."""
    _require_coordinator(actor, application)
    application = type(application).objects.select_for_update().get(pk=application.pk)
    existing = ProofOfUse.objects.filter(application=application, year=year).first()
    if existing is not None:
        return existing
    decision_year = granted_year(application, year)
    plan = (
        ApplicationYear.objects.filter(application=application, year=year)
        .prefetch_related("cost_lines")
        .first()
    )
    with attributed(actor=actor, action="proof_opened"):
        proof = ProofOfUse.objects.create(
            application=application,
            year=year,
            due_on=proof_due_on(decision_year.decision, year),
            actual_own_funds=plan.own_funds if plan else money.ZERO,
            actual_third_party_funds=plan.third_party_funds if plan else money.ZERO,
        )
        ProofLine.objects.bulk_create(
            ProofLine(
                proof=proof,
                category=line.category,
                description=line.description,
                planned=line.amount,
                position=position,
            )
            for position, line in enumerate(plan.cost_lines.all() if plan else [])
        )
    return proof


@transaction.atomic
def save_proof(
    *,
    proof: ProofOfUse,
    actor,
    expected_version: int,
    narrative: str,
    lines: list[dict],
    actual_own_funds: Decimal,
    actual_third_party_funds: Decimal,
) -> ProofOfUse:
    """Save the Sachbericht and the actual figures of a draft (or a proof given back)."""
    proof = _locked(proof)
    _require_coordinator(actor, proof.application)
    _require_status(
        proof,
        ProofStatus.DRAFT,
        _("Der Verwendungsnachweis ist %(status)s und kann nicht mehr bearbeitet werden."),
    )
    _check_version(proof, expected_version)
    by_id = {line.pk: line for line in proof.lines.all()}
    for entry in lines:
        line = by_id.get(_as_int(entry.get("id")))
        if line is None:
            raise FundingError(
                _("Die Position %(id)s gehört nicht zu diesem Verwendungsnachweis.")
                % {"id": entry.get("id")}
            )
        line.actual = _amount(entry.get("actual"), line.description)
    proof.narrative = narrative.strip()
    proof.actual_own_funds = _amount(actual_own_funds, _("Eigenmittel (Ist)"))
    proof.actual_third_party_funds = _amount(actual_third_party_funds, _("Drittmittel (Ist)"))
    proof.version += 1
    with attributed(actor=actor, action="proof_saved"):
        ProofLine.objects.bulk_update(by_id.values(), ["actual"])
        proof.save()
    return proof


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _amount(value, label) -> Decimal:
    try:
        amount = money.cents(value)
    except (TypeError, ArithmeticError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount < MAX_AMOUNT:
        raise FundingError(
            _("%(label)s: Bitte einen Betrag von 0 € oder mehr angeben.") % {"label": label}
        )
    return amount


def submission_gaps(proof: ProofOfUse) -> list[str]:
    """What is missing before the proof can be submitted, each as a sentence saying what to do."""
    gaps = []
    if not proof.narrative.strip():
        gaps.append(
            _(
                "Der Sachbericht fehlt: Beschreiben Sie, was mit der Zuwendung erreicht wurde "
                "und wie die Mittel verwendet wurden."
            )
        )
    actuals = [line.actual for line in proof.lines.all()]
    if not actuals:
        gaps.append(
            _(
                "Der zahlenmäßige Nachweis hat keine Ausgabenpositionen. Bitte wenden Sie sich "
                "an die Landeskoordinierungsstelle."
            )
        )
    elif not any(actuals):
        gaps.append(_("Die tatsächlichen Ausgaben (Ist) fehlen: Tragen Sie sie je Position ein."))
    return gaps


@transaction.atomic
def submit_proof(*, proof: ProofOfUse, actor, expected_version: int) -> ProofOfUse:
    proof = _locked(proof)
    _require_coordinator(actor, proof.application)
    _require_status(
        proof,
        ProofStatus.DRAFT,
        _("Der Verwendungsnachweis ist %(status)s und kann nicht eingereicht werden."),
    )
    _check_version(proof, expected_version)
    gaps = submission_gaps(proof)
    if gaps:
        raise FundingError(gaps)
    proof.status = ProofStatus.SUBMITTED
    proof.submitted_by = actor
    proof.submitted_at = timezone.now()
    return _store_and_tell(proof, actor, event="proof_submitted", audience=REVIEWERS)


@dataclass(frozen=True)
class ProofFigures:
    """The result of a check: what is recognised, what the grant finally is, what comes back."""

    actual_eligible: Decimal
    recognised_eligible: Decimal
    decided_grant: Decimal
    final_grant: Decimal
    paid: Decimal
    clawback: Decimal
    interest: Decimal
    interest_until: date
    base_rate_percent: Decimal
    payments: tuple[money.PaidAmount, ...]


def terms_of(decision_year: DecisionYear) -> money.Terms:
    """The terms the Bescheid copied; only the eligible cost categories come from the rule."""
    decision = decision_year.decision
    rule = rule_for(decision.application.call.programme, decision_year.year)
    return money.Terms(
        financing_type=decision.financing_type,
        rate=decision.rate,
        yearly_cap=decision.yearly_cap,
        fixed_amount=(
            decision_year.grant if decision.financing_type == FinancingType.FESTBETRAG else None
        ),
        eligible_categories=frozenset(rule.eligible_categories),
    )


def paid_amounts(proof: ProofOfUse) -> tuple[money.PaidAmount, ...]:
    return tuple(
        money.PaidAmount(paid_on=paid_on, amount=amount)
        for paid_on, amount in Payment.objects.filter(
            request__application_id=proof.application_id, request__year=proof.year
        ).values_list("paid_on", "amount")
    )


def proof_figures(
    proof: ProofOfUse, *, recognised_eligible: Decimal | None, interest_until: date
) -> ProofFigures:
    """Compute the final grant, clawback and interest without storing them (the check's preview
    shows exactly what check_proof will store)."""
    decision_year = granted_year(proof.application, proof.year)
    terms = terms_of(decision_year)
    actual_eligible = money.eligible_costs(
        ((line.category, line.actual) for line in proof.lines.all()), terms
    )
    if recognised_eligible is None:
        recognised = actual_eligible
    else:
        recognised = _amount(recognised_eligible, _("Anerkannte zuwendungsfähige Ausgaben"))
        if recognised > actual_eligible:
            raise FundingError(
                _(
                    "Anerkannt werden können höchstens die nachgewiesenen zuwendungsfähigen "
                    "Ausgaben von %(amount)s."
                )
                % {"amount": money.format_euro(actual_eligible)}
            )
    final = money.final_grant(
        terms=terms,
        decided_grant=decision_year.grant,
        actual_eligible=recognised,
        actual_own_funds=proof.actual_own_funds,
        actual_third_party=proof.actual_third_party_funds,
    )
    payments = paid_amounts(proof)
    paid = sum((payment.amount for payment in payments), money.ZERO)
    clawback = money.clawback(paid=paid, final=final)
    base_rate = Decimal(settings.FUNDING_BASE_RATE_PERCENT)
    return ProofFigures(
        actual_eligible=actual_eligible,
        recognised_eligible=recognised,
        decided_grant=decision_year.grant,
        final_grant=final,
        paid=paid,
        clawback=clawback,
        interest=money.clawback_interest(
            amount=clawback, payments=payments, until=interest_until, base_rate_percent=base_rate
        ),
        interest_until=interest_until,
        base_rate_percent=base_rate,
        payments=payments,
    )


@transaction.atomic
def check_proof(
    *,
    proof: ProofOfUse,
    actor,
    check_note: str,
    recognised_eligible: Decimal | None,
    interest_until: date,
) -> ProofOfUse:
    """The Prüfvermerk: store the recognised costs, the final grant and any clawback with
    interest; the municipality is told the result."""
    _require_reviewer(actor)
    proof = _locked(proof)
    _require_status(
        proof,
        ProofStatus.SUBMITTED,
        _("Der Verwendungsnachweis ist %(status)s; geprüft werden nur eingereichte Nachweise."),
    )
    if not check_note.strip():
        raise FundingError(_("Bitte schreiben Sie den Prüfvermerk."))
    figures = proof_figures(
        proof, recognised_eligible=recognised_eligible, interest_until=interest_until
    )
    proof.status = ProofStatus.CHECKED
    proof.check_note = check_note.strip()
    proof.checked_by = actor
    proof.checked_at = timezone.now()
    proof.final_eligible_costs = figures.recognised_eligible
    proof.final_grant = figures.final_grant
    proof.clawback_amount = figures.clawback
    proof.clawback_interest = figures.interest
    proof.interest_until = interest_until
    return _store_and_tell(proof, actor, event="proof_checked", audience=MUNICIPALITY)


@transaction.atomic
def return_proof(*, proof: ProofOfUse, actor, message: str) -> ProofOfUse:
    """Give a submitted proof back to the municipality for correction, saying why."""
    _require_reviewer(actor)
    if not message.strip():
        raise FundingError(_("Bitte schreiben Sie, was die Kommune nachbessern soll."))
    proof = _locked(proof)
    _require_status(
        proof,
        ProofStatus.SUBMITTED,
        _("Der Verwendungsnachweis ist %(status)s; zurückgegeben werden nur eingereichte."),
    )
    proof.status = ProofStatus.DRAFT
    proof.submitted_at = None
    proof.submitted_by = None
    return _store_and_tell(
        proof, actor, event=RETURN_ACTION, audience=MUNICIPALITY, reason=message.strip()
    )


def _store_and_tell(proof: ProofOfUse, actor, *, event: str, audience: str, reason=""):
    """Save a transition (new version, attributed to the actor) and mail whom it concerns; the
    mail template is named like the audit action."""
    proof.version += 1
    with attributed(actor=actor, action=event, reason=reason):
        proof.save()
    context = {
        "proof": proof,
        "message": reason,
        # The mail leads to the proof itself, not to the application.
        "url": settings.PORTAL_BASE_URL + reverse("funding:proof_edit", args=[proof.pk]),
    }
    notify(
        event=event, application=proof.application, audience=audience, actor=actor, context=context
    )
    return proof
