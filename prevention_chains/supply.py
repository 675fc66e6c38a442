"""Need vs supply (issue 5 §5): per leaf Sozialraum the current offerings serving it per 1,000
children (0–18, latest population year) next to the monitoring need index, ranked by need.

An offering serves a Sozialraum when it names it or its Stadtbezirk, or names no Sozialraum
(whole municipality). The need index is computed by monitoring.need_index.compute for the
asking user, so disclosure control applies. A Sozialraum is flagged („hoher Bedarf, wenig
Angebote“) when its need rank is in the upper half of the ranked areas and its offerings per
1,000 children are below the median of the areas with known children.
"""

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from monitoring import need_index as need_indices
from monitoring import selectors as monitoring_selectors
from monitoring.models import NeedIndex
from municipalities.models import Municipality, Sozialraum
from prevention_chains.chain import (
    CHILD_AGE_TO,
    Areas,
    current_offerings,
    german_number,
    per_1000,
    population,
)


@dataclass
class SupplyRow:
    sozialraum: Sozialraum
    offerings: int
    children: Decimal | None
    rate: Decimal | None  # offerings per 1,000 children
    need_score: Decimal | None = None
    need_rank: int | None = None
    need_missing: int = 0
    flagged: bool = False

    @property
    def reason(self) -> str:
        if not self.flagged:
            return ""
        return _("hoher Bedarf (Rang %(rank)d), wenig Angebote (%(rate)s je 1.000 Kinder)") % {
            "rank": self.need_rank,
            "rate": german_number(self.rate),
        }


@dataclass
class Supply:
    rows: list[SupplyRow]
    population_year: int | None
    need_index: NeedIndex | None
    median_rate: Decimal | None

    @property
    def flagged(self) -> list[SupplyRow]:
        return [r for r in self.rows if r.flagged]


def visible_need_indices(user, municipality: Municipality) -> list[NeedIndex]:
    """The municipality's need indices the user may read (members all, the state office those
    of released years), newest first."""
    indices = NeedIndex.objects.filter(municipality=municipality).order_by(
        "-period", "-updated_at", "-pk"
    )
    allowed = monitoring_selectors.readable_periods(user, municipality.pk)
    if allowed is not None:
        indices = indices.filter(period__in=allowed)
    return list(indices)


def offerings_per_leaf(municipality: Municipality, areas: Areas) -> dict[int, int]:
    """{leaf id: current offerings serving it}, from one query of the offerings' Sozialräume."""
    named: dict[int, set[int]] = {}
    for offering_id, area_id in current_offerings(municipality).values_list("pk", "sozialraeume"):
        areas_of_offering = named.setdefault(offering_id, set())
        if area_id is not None:
            areas_of_offering.add(area_id)
    counts = {}
    for leaf in areas.leaves:
        serving = areas.served_ids(leaf)
        counts[leaf.pk] = sum(1 for ids in named.values() if not ids or ids & serving)
    return counts


def build_supply(
    municipality: Municipality, *, areas: Areas, user, need_index: NeedIndex | None
) -> Supply:
    leaves = areas.leaves
    counts = offerings_per_leaf(municipality, areas)
    people = population(leaves)
    rows = []
    for leaf in leaves:
        children = people.children([leaf], 0, CHILD_AGE_TO)
        rows.append(
            SupplyRow(
                sozialraum=leaf,
                offerings=counts[leaf.pk],
                children=children,
                rate=per_1000(counts[leaf.pk], children),
            )
        )
    if need_index is not None:
        by_area = {r.sozialraum.pk: r for r in rows}
        for result in need_indices.compute(need_index=need_index, user=user):
            row = by_area.get(result.sozialraum.pk)
            if row is not None:
                row.need_score, row.need_rank = result.score, result.rank
                row.need_missing = result.missing
    rates = [r.rate for r in rows if r.rate is not None]
    median_rate = Decimal(median(rates)).quantize(Decimal("0.01")) if rates else None
    ranked = [r for r in rows if r.need_rank is not None]
    upper_half = (len(ranked) + 1) // 2
    for row in ranked:
        row.flagged = (
            median_rate is not None
            and row.rate is not None
            and row.need_rank <= upper_half
            and row.rate < median_rate
        )
    rows.sort(
        key=lambda r: (r.need_rank is None, r.need_rank or 0, r.sozialraum.code, r.sozialraum.pk)
    )
    return Supply(
        rows=rows, population_year=people.year, need_index=need_index, median_rate=median_rate
    )
