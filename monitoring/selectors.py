"""Reads of monitoring values, with disclosure control already applied for the asking user.

Interface (used by the analysis pages, the API, CSV exports and the PDF report):

``has_raw_access(user, municipality_id) -> bool``
    Only the municipality's coordinators see raw values (cells below k included).

``readable_periods(user, municipality_id) -> set[int] | None``
    None = every year (members of the municipality); for the state office only the years the
    municipality released (`DataApproval.released_to_state_office`); an empty set for anyone
    else. Callers restrict `periods` with it (`observation_table` does it itself).

``observation_table(*, user, municipality, indicators=None, periods=None, sozialraeume=None,
include_totals=True) -> list[DisclosedObservation]``
    One row per indicator × area × period: every Sozialraum/Stadtbezirk of the municipality and
    (`include_totals`) the municipality total (`sozialraum=None`). Disclosure is always computed
    on the municipality's whole tree of that indicator and period, then the rows are filtered –
    filtering first would let a caller dodge secondary suppression. Rows are ordered by
    indicator (catalogue order), period, then area code, the total first.
    `indicators`/`sozialraeume` take objects or ids. The groups come from the stored cells
    (monitoring.disclosure_cells), a group still marked stale is computed here afresh
    (`group_cells`). Five queries, whatever the size (six with stale groups).

``compute_groups(municipality_id, keys, areas=None, min_cases=None)``
    The per-request computation of whole groups from the observations: what
    `refresh_disclosure` stores and what the tests compare the stored cells with.

``DisclosedObservation``
    indicator, sozialraum (None = municipality total), period, numerator, denominator, value
    (numerator / denominator × factor, Decimal, None when not shown or not computable),
    suppressed (shown as „.“), reason (disclosure.PRIMARY/SECONDARY/SOURCE_SECRET/MISSING or
    None), raw (the user saw real values) and would_be_suppressed (for raw users: others see
    „.“ here). Denominators are shown even where the numerator is hidden (see disclosure.py).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from accounts.roles import STATE_OFFICE_ROLES
from monitoring import disclosure
from monitoring.models import (
    DataApproval,
    DisclosedCell,
    Indicator,
    Observation,
    StaleDisclosureGroup,
)
from monitoring.permissions import can_write_data
from municipalities.models import Municipality, Sozialraum
from municipalities.permissions import roles_by_municipality

TOTAL = "total"  # key of the municipality total in a disclosure tree


def has_raw_access(user, municipality_id: int) -> bool:
    return can_write_data(user, municipality_id)


def is_member(user, municipality_id: int) -> bool:
    return bool(roles_by_municipality(user).get(municipality_id))


def is_state_office(user) -> bool:
    return user.is_authenticated and user.has_programme_role(*STATE_OFFICE_ROLES)


def released_periods(municipality_id: int) -> set[int]:
    return set(
        DataApproval.objects.filter(
            municipality_id=municipality_id, released_to_state_office=True
        ).values_list("period", flat=True)
    )


def readable_periods(user, municipality_id: int) -> set[int] | None:
    if is_member(user, municipality_id):
        return None
    if is_state_office(user):
        return released_periods(municipality_id)
    return set()


@dataclass(frozen=True)
class DisclosedObservation:
    indicator: Indicator
    sozialraum: Sozialraum | None
    period: int
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    suppressed: bool
    reason: str | None
    raw: bool = False
    would_be_suppressed: bool = False

    @property
    def is_total(self) -> bool:
        return self.sozialraum is None


class _Obs(NamedTuple):
    numerator: Decimal | None
    denominator: Decimal | None
    status: str


def _ids(objects) -> set[int] | None:
    if objects is None:
        return None
    return {getattr(o, "pk", o) for o in objects}


def _valid_in_year(area: Sozialraum, year: int) -> bool:
    return area.valid_from <= date(year, 12, 31) and (
        area.valid_to is None or area.valid_to >= date(year, 1, 1)
    )


def _tree(areas: Iterable[Sozialraum], year: int, observed: set[int]):
    """Groups of the areas valid in `year` (or observed then), rooted at TOTAL."""
    present = {a.pk: a for a in areas if a.pk in observed or _valid_in_year(a, year)}
    parent_of = {pk: (a.parent_id if a.parent_id in present else None) for pk, a in present.items()}
    return disclosure.tree_groups(parent_of, TOTAL)


def disclose(
    *,
    min_cases: int,
    areas: list[Sozialraum],
    period: int,
    observations: dict,
    groups: list[disclosure.Group] | None = None,
) -> dict[object, tuple[disclosure.Counts, str | None]]:
    """{area id or TOTAL: (Counts, reason or None)} for one indicator and period; `observations`
    maps area ids to anything with numerator, denominator and status. `groups` is the year's
    tree if the caller has it already."""
    if groups is None:
        groups = _tree(areas, period, set(observations))
    totals = {g.total for g in groups}
    leaves = {}
    for group in groups:
        for child in group.children:
            if child in totals:
                continue
            obs = observations.get(child)
            leaves[child] = (
                disclosure.Counts(obs.numerator, obs.denominator, obs.status)
                if obs
                else disclosure.Counts(None, None, "missing")
            )
    cells = disclosure.aggregate(leaves, groups)
    if not groups:
        cells[TOTAL] = disclosure.Counts(None, None, "missing")
    hidden = disclosure.suppress_table(cells, groups, min_cases)
    return {key: (counts, hidden.get(key)) for key, counts in cells.items()}


GroupKey = tuple[int, int]  # (indicator id, period) of one municipality


def compute_groups(
    municipality_id: int,
    keys: set[GroupKey],
    areas: list[Sozialraum] | None = None,
    min_cases: dict[int, int] | None = None,
) -> dict[GroupKey, dict]:
    """`disclose` for the given groups, from the observations (the per-request computation and
    the test oracle of the stored cells). A group without observations has no cells.
    `areas` (the municipality's Sozialräume) and `min_cases` ({indicator id: k}) save their
    queries if the caller has them."""
    if not keys:
        return {}
    if areas is None:
        areas = list(
            Sozialraum.objects.filter(municipality_id=municipality_id).only(
                "pk", "parent_id", "valid_from", "valid_to"
            )
        )
    indicator_ids = {i for i, _p in keys}
    if min_cases is None:
        min_cases = dict(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "min_cases")
        )
    observations = Observation.objects.filter(
        sozialraum__municipality_id=municipality_id,
        indicator_id__in=indicator_ids,
        period__in={p for _i, p in keys},
    ).values_list("indicator_id", "period", "sozialraum_id", "numerator", "denominator", "status")
    by_group: dict[GroupKey, dict[int, _Obs]] = defaultdict(dict)
    for indicator_id, period, area_id, numerator, denominator, status in observations:
        if (indicator_id, period) in keys:
            by_group[(indicator_id, period)][area_id] = _Obs(numerator, denominator, status)
    # Indicators of one year share their tree unless they were delivered for other areas.
    trees: dict[tuple[int, frozenset], list[disclosure.Group]] = {}
    result = {}
    for (indicator_id, period), cells in by_group.items():
        observed = frozenset(cells)
        if (period, observed) not in trees:
            trees[(period, observed)] = _tree(areas, period, observed)
        result[(indicator_id, period)] = disclose(
            min_cases=min_cases[indicator_id],
            areas=areas,
            period=period,
            observations=cells,
            groups=trees[(period, observed)],
        )
    return result


_STATUS_OF_REASON = {disclosure.SOURCE_SECRET: "secret", disclosure.MISSING: "missing"}


def group_cells(
    municipality_id: int,
    indicators: list[Indicator],
    periods: set[int] | None,
    areas: list[Sozialraum],
) -> dict[GroupKey, dict]:
    """The groups of the indicators (and periods) as `compute_groups` gives them: stored cells
    where they are current, computed afresh where a change has not been stored yet."""
    indicator_ids = [i.pk for i in indicators]
    stale = StaleDisclosureGroup.objects.filter(
        municipality_id=municipality_id, indicator_id__in=indicator_ids
    )
    stored = DisclosedCell.objects.filter(
        municipality_id=municipality_id, indicator_id__in=indicator_ids
    )
    if periods is not None:
        stale = stale.filter(period__in=periods)
        stored = stored.filter(period__in=periods)
    stale_keys = set(stale.values_list("indicator_id", "period"))
    groups: dict[GroupKey, dict] = defaultdict(dict)
    for indicator_id, period, area_id, numerator, denominator, reason in stored.values_list(
        "indicator_id", "period", "sozialraum_id", "numerator", "denominator", "reason"
    ):
        if (indicator_id, period) in stale_keys:
            continue
        status = _STATUS_OF_REASON.get(reason, "reported")
        groups[(indicator_id, period)][TOTAL if area_id is None else area_id] = (
            disclosure.Counts(numerator, denominator, status),
            reason,
        )
    min_cases = {i.pk: i.min_cases for i in indicators}
    groups.update(compute_groups(municipality_id, stale_keys, areas, min_cases))
    return groups


def observation_table(
    *,
    user,
    municipality: Municipality,
    indicators=None,
    periods: Iterable[int] | None = None,
    sozialraeume=None,
    include_totals: bool = True,
) -> list[DisclosedObservation]:
    raw = has_raw_access(user, municipality.pk)
    allowed = readable_periods(user, municipality.pk)
    wanted_periods = None if periods is None else set(periods)
    if allowed is not None:
        wanted_periods = allowed if wanted_periods is None else wanted_periods & allowed
    if wanted_periods is not None and not wanted_periods:
        return []

    indicator_ids = _ids(indicators)
    indicator_qs = Indicator.objects.usable_by(municipality.pk)
    if indicator_ids is not None:
        indicator_qs = indicator_qs.filter(pk__in=indicator_ids)
    indicator_list = list(indicator_qs.order_by("theme", "name", "pk"))
    if not indicator_list:
        return []
    areas = list(Sozialraum.objects.filter(municipality=municipality).order_by("code", "pk"))
    groups = group_cells(municipality.pk, indicator_list, wanted_periods, areas)

    area_ids = _ids(sozialraeume)
    area_by_id = {a.pk: a for a in areas}
    rows: list[DisclosedObservation] = []
    for indicator in indicator_list:
        years = sorted(p for (i, p) in groups if i == indicator.pk)
        for period in years:
            cells = groups[(indicator.pk, period)]
            keys = [TOTAL] if include_totals else []
            keys += [a.pk for a in areas if a.pk in cells]
            for key in keys:
                if key != TOTAL and area_ids is not None and key not in area_ids:
                    continue
                rows.append(_row(indicator, area_by_id.get(key), period, cells[key], raw))
    return rows


class Shown(NamedTuple):
    numerator: Decimal | None
    value: Decimal | None
    suppressed: bool
    would_be_suppressed: bool


def shown(counts: disclosure.Counts, reason: str | None, factor: Decimal, raw: bool) -> Shown:
    """What a reader sees of a cell: raw access sees the counts (only a secret or missing cell
    is suppressed for them too); everyone else sees a hidden cell's denominator only."""
    unavailable = reason in (disclosure.SOURCE_SECRET, disclosure.MISSING)
    if raw or reason is None:
        return Shown(
            counts.numerator,
            disclosure.value(counts, factor),
            suppressed=unavailable,
            would_be_suppressed=reason is not None,
        )
    return Shown(None, None, suppressed=True, would_be_suppressed=True)


def _row(indicator, area, period, cell, raw) -> DisclosedObservation:
    counts, reason = cell
    seen = shown(counts, reason, indicator.factor, raw)
    return DisclosedObservation(
        indicator=indicator,
        sozialraum=area,
        period=period,
        numerator=seen.numerator,
        denominator=counts.denominator,
        value=seen.value,
        suppressed=seen.suppressed,
        reason=reason,
        raw=raw,
        would_be_suppressed=seen.would_be_suppressed,
    )


def periods_with_data(user, municipality: Municipality) -> list[int]:
    """The years with observations that the user may read, newest first."""
    years = set(
        Observation.objects.filter(sozialraum__municipality=municipality)
        .values_list("period", flat=True)
        .distinct()
    )
    allowed = readable_periods(user, municipality.pk)
    if allowed is not None:
        years &= allowed
    return sorted(years, reverse=True)


def released_years() -> set[int]:
    """Years that at least one municipality released to the state office."""
    return set(
        DataApproval.objects.filter(released_to_state_office=True)
        .values_list("period", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------------------------------
# Municipality level: the state-office view and the Kreis/NRW reference values


@dataclass(frozen=True)
class MunicipalityValue:
    municipality: Municipality
    period: int
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    suppressed: bool
    reason: str | None


def _released_pairs(municipality_ids=None, periods=None) -> set[tuple[int, int]]:
    approvals = DataApproval.objects.filter(released_to_state_office=True)
    if municipality_ids is not None:
        approvals = approvals.filter(municipality_id__in=municipality_ids)
    if periods is not None:
        approvals = approvals.filter(period__in=periods)
    return set(approvals.values_list("municipality_id", "period"))


def municipality_totals(*, indicator: Indicator, periods=None) -> dict[tuple[int, int], tuple]:
    """{(municipality id, period): (Counts, reason)} of every municipality that released the
    year, each total disclosed inside its own Sozialraum tree. Three queries."""
    pairs = _released_pairs(periods=periods)
    if not pairs:
        return {}
    municipality_ids = {m for m, _p in pairs}
    areas_by_municipality: dict[int, list[Sozialraum]] = defaultdict(list)
    for area in Sozialraum.objects.filter(municipality_id__in=municipality_ids).only(
        "pk", "municipality_id", "parent_id", "valid_from", "valid_to", "code"
    ):
        areas_by_municipality[area.municipality_id].append(area)
    observations = Observation.objects.filter(
        indicator=indicator, sozialraum__municipality_id__in=municipality_ids
    )
    if periods is not None:
        observations = observations.filter(period__in=periods)
    by_cell: dict[tuple[int, int], dict[int, _Obs]] = defaultdict(dict)
    for (
        municipality_id,
        period,
        area_id,
        numerator,
        denominator,
        status,
    ) in observations.values_list(
        "sozialraum__municipality_id",
        "period",
        "sozialraum_id",
        "numerator",
        "denominator",
        "status",
    ):
        if (municipality_id, period) in pairs:
            by_cell[(municipality_id, period)][area_id] = _Obs(numerator, denominator, status)
    result = {}
    for (municipality_id, period), cell_observations in by_cell.items():
        cells = disclose(
            min_cases=indicator.min_cases,
            areas=areas_by_municipality[municipality_id],
            period=period,
            observations=cell_observations,
        )
        result[(municipality_id, period)] = cells[TOTAL]
    return result


def _land_tree(indicator: Indicator, totals: dict, period: int, kreis_of: dict):
    """The tree NRW > Kreis > municipality of one year: (member totals, cells, hidden).

    The Kreis/NRW reference values are disclosed on this tree so that no municipality's hidden
    total is NRW (or its Kreis) minus the shown ones. Secondary suppression hides the Kreis or
    NRW value rather than a second municipality: municipality totals are shown on the
    municipalities' own pages (to the state office too), so hiding one here would protect
    nothing. A municipality without a complete total does not contribute (and so cannot be
    recomputed); one whose total is below k does, as a hidden cell."""
    members = {
        m: counts
        for (m, p), (counts, _reason) in totals.items()
        if p == period and counts.status == "reported"
    }
    parent_of = {("m", m): (("k", kreis_of[m]) if kreis_of[m] else None) for m in members}
    parent_of.update({node: None for node in set(parent_of.values()) if node})
    groups = disclosure.tree_groups(parent_of, "nrw")
    cells = disclosure.aggregate({("m", m): c for m, c in members.items()}, groups)
    hidden = disclosure.suppress_table(cells, groups, indicator.min_cases, prefer_totals=True)
    return members, cells, hidden


def _kreis_of(totals) -> dict[int, int | None]:
    return dict(
        Municipality.objects.filter(pk__in={m for m, _p in totals}).values_list("pk", "parent_id")
    )


def state_office_table(*, indicator: Indicator, period: int) -> list[MunicipalityValue]:
    """Municipality-level values of one indicator and year for the state office and the
    evaluation: only released years, each total as the municipality's own pages show it to
    everyone without raw rights (the Kreis/NRW values that could reveal a hidden one are
    suppressed instead, see `_land_tree`)."""
    totals = municipality_totals(indicator=indicator, periods=[period])
    municipalities = Municipality.objects.filter(pk__in={m for m, _p in totals}).order_by(
        "short_name"
    )
    rows = []
    for municipality in municipalities:
        counts, reason = totals[(municipality.pk, period)]
        shown = reason is None
        rows.append(
            MunicipalityValue(
                municipality=municipality,
                period=period,
                numerator=counts.numerator if shown else None,
                denominator=counts.denominator,
                value=disclosure.value(counts, indicator.factor) if shown else None,
                suppressed=not shown,
                reason=reason,
            )
        )
    return rows


MIN_REFERENCE_MUNICIPALITIES = 3


@dataclass(frozen=True)
class ReferenceValue:
    label: str
    period: int
    value: Decimal | None
    contributors: int
    suppressed: bool


def reference_values(
    *, indicator: Indicator, municipality: Municipality, periods=None
) -> list[ReferenceValue]:
    """Kreis and NRW values of an indicator per released year: rates from the summed counts
    of the municipalities that released the year, disclosed on the tree of `_land_tree`, and
    shown only if at least three municipalities contribute – otherwise a member subtracting
    their own total would see another municipality's counts."""
    totals = municipality_totals(indicator=indicator, periods=periods)
    if not totals:
        return []
    kreis_of = _kreis_of(totals)
    own_kreis = municipality.parent_id
    results = []
    for period in sorted({p for _m, p in totals}):
        members, cells, hidden = _land_tree(indicator, totals, period, kreis_of)
        if not members:
            continue
        nodes = [(_("NRW"), "nrw", len(members))]
        if own_kreis and ("k", own_kreis) in cells:
            in_kreis = sum(1 for m in members if kreis_of[m] == own_kreis)
            nodes.insert(0, (_("Kreis"), ("k", own_kreis), in_kreis))
        for label, key, contributors in nodes:
            shown = key not in hidden and contributors >= MIN_REFERENCE_MUNICIPALITIES
            results.append(
                ReferenceValue(
                    label=label,
                    period=period,
                    value=disclosure.value(cells[key], indicator.factor) if shown else None,
                    contributors=contributors,
                    suppressed=not shown,
                )
            )
    return results
