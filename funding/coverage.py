"""Budget coverage (DESIGN.md §4): what is promised per year against what secures it.

A grant for year Y may only be approved against secured budget of Y (appropriated by the budget
law or covered by a Verpflichtungsermächtigung), and the sum of current approvals for Y never
exceeds it. These reads serve the approval check (under row locks, in funding.services.decisions)
and the coverage pages of the state office and of every municipality.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from funding.models import SECURED_BUDGET_STATUSES, Budget, BudgetStatus, DecisionYear
from funding.money import ZERO


@dataclass
class YearCoverage:
    year: int
    secured: Decimal = ZERO
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def free(self) -> Decimal:
        return self.secured - self.committed

    @property
    def is_secured(self) -> bool:
        return self.secured > ZERO

    @property
    def is_covered(self) -> bool:
        return self.committed <= self.secured


def committed_grants(programme_id: int, years) -> dict[int, Decimal]:
    """Sum of grants of the current decisions per year."""
    rows = (
        DecisionYear.objects.filter(
            decision__is_current=True,
            decision__application__call__programme_id=programme_id,
            year__in=list(years),
        )
        .values("year")
        .annotate(total=Sum("grant"))
    )
    return {row["year"]: row["total"] for row in rows}


def year_coverage(programme_id: int, years) -> dict[int, YearCoverage]:
    """Coverage of each year: secured and planned budget (by source) and committed grants."""
    years = sorted(set(years))
    result = {year: YearCoverage(year=year) for year in years}
    budgets = Budget.objects.filter(programme_id=programme_id, fiscal_year__in=years).values_list(
        "fiscal_year", "source", "status", "amount"
    )
    for year, source, status, amount in budgets:
        entry = result[year]
        if status in SECURED_BUDGET_STATUSES:
            entry.secured += amount
            entry.by_source[source] = entry.by_source.get(source, ZERO) + amount
        elif status == BudgetStatus.PLANNED:
            entry.planned += amount
    for year, total in committed_grants(programme_id, years).items():
        result[year].committed = total
    return result


def lock_budgets(programme_id: int, years) -> None:
    """Take the row locks that serialise every decision touching these years' money, in one
    fixed order so that two approvers never deadlock. A year without any budget row has nothing
    to lock – and nothing to approve against."""
    list(
        Budget.objects.select_for_update()
        .filter(programme_id=programme_id, fiscal_year__in=list(years))
        .order_by("fiscal_year", "source")
        .values_list("pk", flat=True)
    )


def municipality_promises(municipality_id: int) -> dict[int, list[tuple[str, int, Decimal]]]:
    """{programme_id: [(file reference, year, grant)]} of a municipality's current decisions."""
    rows = (
        DecisionYear.objects.filter(
            decision__is_current=True, decision__application__municipality_id=municipality_id
        )
        .values_list(
            "decision__application__call__programme_id",
            "decision__file_reference",
            "year",
            "grant",
        )
        .order_by("year")
    )
    promises: dict[int, list] = defaultdict(list)
    for programme_id, reference, year, grant in rows:
        promises[programme_id].append((reference, year, grant))
    return dict(promises)
