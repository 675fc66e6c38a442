"""Reads for the coverage pages and the status report of a municipality (issue 3 §6, §12).

Coverage answers one question per promised year: is the grant a current Bescheid promises
backed by secured budget of that year? A year is financed when secured budget exists for it
and the current decisions of the year stay within it (funding.coverage). Every read here runs a
fixed number of queries, however many municipalities and years there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from funding.coverage import YearCoverage, municipality_promises, year_coverage
from funding.models import (
    Application,
    ApplicationYear,
    Budget,
    BudgetSource,
    Decision,
    DecisionYear,
    FundingDocument,
    Payment,
    ProofOfUse,
)
from funding.money import ZERO
from municipalities.models import Municipality, Programme


def funding_programmes():
    """Programmes with funding business: calls or budgets."""
    return Programme.objects.filter(Q(calls__isnull=False) | Q(budgets__isnull=False)).distinct()


def chosen_programme(programmes: list[Programme], slug: str | None) -> Programme | None:
    """The programme asked for by slug, or else the first one."""
    for programme in programmes:
        if programme.slug == slug:
            return programme
    return programmes[0] if programmes else None


@dataclass(frozen=True)
class Promise:
    """One year a current Bescheid promises money for."""

    file_reference: str
    year: int
    grant: Decimal
    financed: bool
    programme: str = ""


@dataclass
class MunicipalityPromises:
    municipality_id: int
    name: str
    slug: str
    promises: list[Promise] = field(default_factory=list)

    @property
    def all_financed(self) -> bool:
        return all(promise.financed for promise in self.promises)


def is_financed(coverage: YearCoverage | None) -> bool:
    return coverage is not None and coverage.is_secured and coverage.is_covered


@dataclass
class CoverageOverview:
    programme: Programme
    years: list[YearCoverage]
    sources: list[tuple[str, str]]
    municipalities: list[MunicipalityPromises]

    @property
    def rows(self) -> list[tuple[YearCoverage, list[Decimal | None]]]:
        """Each year with its secured amount per source, in the order of `sources`."""
        return [
            (year, [year.by_source.get(code) for code, _label in self.sources])
            for year in self.years
        ]

    @property
    def unfinanced(self) -> list[MunicipalityPromises]:
        return [entry for entry in self.municipalities if not entry.all_financed]


def coverage_overview(programme: Programme) -> CoverageOverview:
    """Per fiscal year secured (by source), planned, committed and free budget; per
    municipality with current decisions every promised year, financed or not."""
    promised = list(
        DecisionYear.objects.filter(
            decision__is_current=True, decision__application__call__programme=programme
        )
        .values_list(
            "decision__application__municipality_id",
            "decision__application__municipality__short_name",
            "decision__application__municipality__slug",
            "decision__file_reference",
            "year",
            "grant",
        )
        .order_by("decision__application__municipality__short_name", "year")
    )
    budget_years = Budget.objects.filter(programme=programme).values_list("fiscal_year", flat=True)
    years = set(budget_years) | {row[4] for row in promised}
    coverage = year_coverage(programme.pk, years)
    by_municipality: dict[int, MunicipalityPromises] = {}
    for municipality_id, name, slug, reference, year, grant in promised:
        entry = by_municipality.setdefault(
            municipality_id, MunicipalityPromises(municipality_id, name, slug)
        )
        entry.promises.append(Promise(reference, year, grant, is_financed(coverage.get(year))))
    return CoverageOverview(
        programme=programme,
        years=[coverage[year] for year in sorted(coverage)],
        sources=list(BudgetSource.choices),
        municipalities=list(by_municipality.values()),
    )


def municipality_coverage(municipality: Municipality) -> list[Promise]:
    """The municipality's promised years, each with whether secured budget backs it."""
    promises = municipality_promises(municipality.pk)
    names = dict(Programme.objects.filter(pk__in=promises).values_list("pk", "short_name"))
    result = []
    for programme_id, rows in promises.items():
        coverage = year_coverage(programme_id, {year for _ref, year, _grant in rows})
        result.extend(
            Promise(reference, year, grant, is_financed(coverage[year]), names[programme_id])
            for reference, year, grant in rows
        )
    return sorted(result, key=lambda promise: (promise.year, promise.file_reference))


# --- Förderbericht (Berichtsvorlage) --------------------------------------------------------


@dataclass
class ReportYear:
    """One funding year of an application: applied for, granted, paid, proven, reclaimed."""

    year: int
    requested: Decimal = ZERO
    granted: Decimal | None = None
    paid: Decimal = ZERO
    proof_status: str = ""
    final_grant: Decimal | None = None
    clawback: Decimal | None = None
    clawback_interest: Decimal | None = None


@dataclass
class ReportApplication:
    application: Application
    years: list[ReportYear]
    decisions: list[Decision]


@dataclass
class YearTotal:
    year: int
    requested: Decimal = ZERO
    granted: Decimal = ZERO
    paid: Decimal = ZERO
    clawback: Decimal = ZERO


def status_report_context(document: FundingDocument) -> dict:
    """Everything the Förderbericht of the document's municipality shows (template
    funding/pdf/status_report.html): applications and decisions per year, granted vs paid vs
    proof of use, clawbacks, coverage of the promised years and when it was generated."""
    municipality = document.municipality
    applications = list(
        Application.objects.filter(municipality=municipality)
        .select_related("call__programme")
        .order_by("call__first_year", "number")
    )
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in (
        Decision.objects.filter(application__municipality=municipality)
        .prefetch_related("years")
        .order_by("decided_at", "pk")
    ):
        decisions[decision.application_id].append(decision)
    years = _report_years(municipality, decisions)
    entries = [
        ReportApplication(
            application=application,
            years=[years[key] for key in sorted(years) if key[0] == application.pk],
            decisions=decisions.get(application.pk, []),
        )
        for application in applications
    ]
    totals: dict[int, YearTotal] = {}
    for (_application_id, year), row in sorted(years.items(), key=lambda item: item[0][1]):
        total = totals.setdefault(year, YearTotal(year))
        total.requested += row.requested
        total.granted += row.granted or ZERO
        total.paid += row.paid
        total.clawback += row.clawback or ZERO
    return {
        "document": document,
        "municipality": municipality,
        "applications": entries,
        "totals": list(totals.values()),
        "clawback_rows": [
            (entry.application, row) for entry in entries for row in entry.years if row.clawback
        ],
        "promises": municipality_coverage(municipality),
        "generated_at": timezone.localtime(),
    }


def _report_years(municipality, decisions) -> dict[tuple[int, int], ReportYear]:
    """{(application id, year): ReportYear} from the plans, the current decisions, the payouts
    and the proofs of use – one query each."""
    years: dict[tuple[int, int], ReportYear] = {}

    def row(application_id: int, year: int) -> ReportYear:
        return years.setdefault((application_id, year), ReportYear(year))

    for application_id, year, requested in ApplicationYear.objects.filter(
        application__municipality=municipality
    ).values_list("application_id", "year", "requested_grant"):
        row(application_id, year).requested = requested
    for application_id, current in decisions.items():
        for decision in current:
            if decision.is_current:
                for granted in decision.years.all():
                    row(application_id, granted.year).granted = granted.grant
    for application_id, year, paid in (
        Payment.objects.filter(request__application__municipality=municipality)
        .values_list("request__application_id", "request__year")
        .annotate(total=Sum("amount"))
    ):
        row(application_id, year).paid = paid
    for proof in ProofOfUse.objects.filter(application__municipality=municipality):
        entry = row(proof.application_id, proof.year)
        entry.proof_status = proof.get_status_display()
        entry.final_grant = proof.final_grant
        entry.clawback = proof.clawback_amount
        entry.clawback_interest = proof.clawback_interest
    return years
