"""The chain matrix (issue 5 §5): life phases (columns) × fields of action (rows), counting the
municipality's current offerings (ACTIVE_OFFERING_STATUSES – drafts and ended offerings do not
count), filterable by Sozialraum and target group; with gaps and thin cells.

Area rule: an offering without Sozialräume serves the whole municipality and counts in every
Sozialraum. An offering serving a Stadtbezirk serves each Sozialraum in it, and one serving a
Sozialraum serves (part of) the Stadtbezirk around it.

Gaps: a cell is a gap when no current offering is in it. A non-empty cell is thin when its
offerings per 1,000 children of the phase's age band are below THIN_FLOOR_PER_1000 or below
THIN_SHARE_OF_MEDIAN × the median of the non-empty cells of the same phase. Children come from
the population of the latest year with data (see children_in_band); without them, a cell with
exactly one offering is thin and the reason says the children are unknown.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipalities.models import Municipality, Sozialraum, SozialraumPopulation
from prevention_chains.models import (
    ACTIVE_OFFERING_STATUSES,
    FieldOfAction,
    LifePhase,
    Offering,
    TargetGroup,
)

# A cell is thin below this many offerings per 1,000 children of the phase's age band …
THIN_FLOOR_PER_1000 = Decimal("0.5")
# … or below this share of the median of the phase's non-empty cells.
THIN_SHARE_OF_MEDIAN = Decimal("0.5")
CHILD_AGE_TO = 18  # "children" for need vs supply: [0, 18)

GAP = "gap"
THIN = "thin"
COVERED = "covered"


# ---------------------------------------------------------------------------------------------
# Areas


@dataclass(frozen=True)
class Areas:
    """The municipality's current Sozialräume (valid today), read once."""

    all: list[Sozialraum]

    @property
    def leaves(self) -> list[Sozialraum]:
        parents = {a.parent_id for a in self.all}
        return [a for a in self.all if a.pk not in parents]

    def get(self, area_id) -> Sozialraum | None:
        return next((a for a in self.all if str(a.pk) == str(area_id)), None)

    def served_ids(self, area: Sozialraum) -> set[int]:
        """Ids an offering may name to serve `area`: itself, its Stadtbezirk, its Sozialräume."""
        ids = {area.pk, *(a.pk for a in self.all if a.parent_id == area.pk)}
        if area.parent_id:
            ids.add(area.parent_id)
        return ids

    def leaves_in(self, area: Sozialraum | None) -> list[Sozialraum]:
        """The leaf Sozialräume whose children count for `area` (all leaves without one)."""
        if area is None:
            return self.leaves
        return [a for a in self.leaves if a.pk == area.pk or a.parent_id == area.pk]


def current_areas(municipality: Municipality, day: date | None = None) -> Areas:
    day = day or timezone.localdate()
    return Areas(
        list(
            Sozialraum.objects.filter(municipality=municipality)
            .valid_on(day)
            .order_by("code", "pk")
            .only("pk", "code", "name", "parent_id", "level")
        )
    )


def current_offerings(municipality: Municipality):
    return Offering.objects.filter(municipality=municipality, status__in=ACTIVE_OFFERING_STATUSES)


def serving(offerings, area_ids: set[int]):
    """The offerings that serve one of the areas or the whole municipality (no Sozialraum)."""
    through = Offering.sozialraeume.through
    names_any = Exists(through.objects.filter(offering_id=OuterRef("pk")))
    names_area = Exists(
        through.objects.filter(offering_id=OuterRef("pk"), sozialraum_id__in=area_ids)
    )
    return offerings.filter(~names_any | names_area)


# ---------------------------------------------------------------------------------------------
# Children


@dataclass(frozen=True)
class Population:
    """Population bands of the latest year with data for a municipality's leaf Sozialräume."""

    year: int | None
    bands: dict[int, list[tuple[int, int | None, int]]]  # area id → (from, to, count)

    def children(self, areas: list[Sozialraum], age_from: int, age_to: int) -> Decimal | None:
        """Children aged [age_from, age_to) in the areas, or None if unknown.

        Bands need not match: a band counts in proportion to its overlap in years (a band 0–6
        with 600 children gives 100 per year of age). Where the data has nested bands (0–18
        and 0–3), each year of age is read from the narrowest band holding it. Open bands
        ("65 and older") are not counted. Unknown: any area without a band for one of the
        years of age."""
        if self.year is None or not areas:
            return None
        total = Fraction(0)  # exact: a third of a band per year adds up to the band
        for area in areas:
            bands = [(lo, hi, n) for lo, hi, n in self.bands.get(area.pk, []) if hi is not None]
            for age in range(age_from, age_to):
                holding = [(hi - lo, n) for lo, hi, n in bands if lo <= age < hi]
                if not holding:
                    return None
                width, count = min(holding)
                total += Fraction(count, width)
        return (Decimal(total.numerator) / total.denominator).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )


def population(leaves: list[Sozialraum]) -> Population:
    """One query: the bands of the leaves in the latest year any of them has data for."""
    ids = [a.pk for a in leaves]
    latest = (
        SozialraumPopulation.objects.filter(sozialraum_id__in=ids)
        .order_by("-year")
        .values("year")[:1]
    )
    bands: dict[int, list] = {}
    year = None
    for row in SozialraumPopulation.objects.filter(
        sozialraum_id__in=ids, year=Subquery(latest)
    ).values_list("sozialraum_id", "year", "age_from", "age_to", "count"):
        area_id, year, age_from, age_to, count = row
        bands.setdefault(area_id, []).append((age_from, age_to, count))
    return Population(year, bands)


def per_1000(count: int, children: Decimal | None) -> Decimal | None:
    if not children:
        return None
    return (Decimal(count) * 1000 / children).quantize(Decimal("0.01"), ROUND_HALF_UP)


def whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def german_number(value) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


# ---------------------------------------------------------------------------------------------
# Matrix


@dataclass
class Cell:
    phase: LifePhase
    field: FieldOfAction
    count: int
    children: Decimal | None = None
    rate: Decimal | None = None  # offerings per 1,000 children
    status: str = COVERED
    reason: str = ""

    @property
    def is_gap(self) -> bool:
        return self.status == GAP

    @property
    def is_thin(self) -> bool:
        return self.status == THIN


@dataclass
class MatrixRow:
    field: FieldOfAction
    cells: list[Cell]


@dataclass
class Matrix:
    municipality: Municipality
    phases: list[LifePhase]
    fields: list[FieldOfAction]
    rows: list[MatrixRow]
    areas: Areas
    sozialraum: Sozialraum | None
    target_group: TargetGroup | None
    population_year: int | None
    children: dict[int, Decimal | None] = field(default_factory=dict)  # phase id → children

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    @property
    def gaps(self) -> list[Cell]:
        return [c for c in self.cells if c.is_gap]

    @property
    def thin(self) -> list[Cell]:
        return [c for c in self.cells if c.is_thin]

    @property
    def columns(self) -> list[tuple[LifePhase, Decimal | None]]:
        return [(phase, self.children.get(phase.pk)) for phase in self.phases]


def taxonomy() -> tuple[list[LifePhase], list[FieldOfAction]]:
    return (
        list(LifePhase.objects.filter(is_active=True)),
        list(FieldOfAction.objects.filter(is_active=True)),
    )


def filtered_offerings(
    municipality: Municipality,
    *,
    areas: Areas,
    sozialraum: Sozialraum | None = None,
    target_group: TargetGroup | None = None,
):
    offerings = current_offerings(municipality)
    if sozialraum is not None:
        offerings = serving(offerings, areas.served_ids(sozialraum))
    if target_group is not None:
        through = Offering.target_groups.through
        offerings = offerings.filter(
            Exists(
                through.objects.filter(offering_id=OuterRef("pk"), targetgroup_id=target_group.pk)
            )
        )
    return offerings


def cell_counts(offerings) -> dict[tuple[int, int], int]:
    """{(phase id, field id): number of offerings} in one GROUP BY query."""
    rows = (
        offerings.order_by()
        .filter(life_phases__isnull=False, fields_of_action__isnull=False)
        .values_list("life_phases", "fields_of_action")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(phase, field_id): n for phase, field_id, n in rows}


def build_matrix(
    municipality: Municipality,
    *,
    areas: Areas | None = None,
    sozialraum: Sozialraum | None = None,
    target_group: TargetGroup | None = None,
    phases: list[LifePhase] | None = None,
    fields: list[FieldOfAction] | None = None,
) -> Matrix:
    """The matrix with each cell's gap status and reason (a constant number of queries)."""
    areas = areas if areas is not None else current_areas(municipality)
    if phases is None or fields is None:
        phases, fields = taxonomy()
    offerings = filtered_offerings(
        municipality, areas=areas, sozialraum=sozialraum, target_group=target_group
    )
    counts = cell_counts(offerings)
    people = population(areas.leaves)
    counted_areas = areas.leaves_in(sozialraum)
    children = {p.pk: people.children(counted_areas, p.age_from, p.age_to) for p in phases}
    rows = [
        MatrixRow(
            field=f,
            cells=[Cell(phase=p, field=f, count=counts.get((p.pk, f.pk), 0)) for p in phases],
        )
        for f in fields
    ]
    matrix = Matrix(
        municipality=municipality,
        phases=phases,
        fields=fields,
        rows=rows,
        areas=areas,
        sozialraum=sozialraum,
        target_group=target_group,
        population_year=people.year,
        children=children,
    )
    for phase in phases:
        classify([row.cells[phases.index(phase)] for row in rows], children[phase.pk])
    return matrix


def classify(cells: list[Cell], children: Decimal | None) -> None:
    """Set status and reason of the cells of one phase (see the module's docstring)."""
    for cell in cells:
        cell.children = children
        cell.rate = per_1000(cell.count, children)
    rates = [c.rate for c in cells if c.count and c.rate is not None]
    limit = THIN_FLOOR_PER_1000
    if rates:
        limit = max(limit, Decimal(median(rates)) * THIN_SHARE_OF_MEDIAN)
    for cell in cells:
        phase = cell.phase
        if cell.count == 0:
            cell.status, cell.reason = GAP, _("keine Angebote")
        elif cell.rate is None:
            if cell.count == 1:
                cell.status = THIN
                cell.reason = _(
                    "nur 1 Angebot; die Zahl der Kinder von %(lo)d–%(hi)d Jahren ist unbekannt"
                ) % {
                    "lo": phase.age_from,
                    "hi": phase.age_to,
                }
        elif cell.rate < limit:
            cell.status = THIN
            cell.reason = ngettext(
                "%(count)d Angebot für %(children)s Kinder von %(lo)d–%(hi)d Jahren "
                "(%(rate)s je 1.000 Kinder, Schwelle %(limit)s)",
                "%(count)d Angebote für %(children)s Kinder von %(lo)d–%(hi)d Jahren "
                "(%(rate)s je 1.000 Kinder, Schwelle %(limit)s)",
                cell.count,
            ) % {
                "count": cell.count,
                "children": german_number(whole(children)),
                "lo": phase.age_from,
                "hi": phase.age_to,
                "rate": german_number(cell.rate),
                "limit": german_number(limit.quantize(Decimal("0.01"), ROUND_HALF_UP)),
            }
