"""The test oracle of the stored disclosure cells: what monitoring.selectors computes afresh
from the observations, the way every read did before the cells were stored."""

from collections import defaultdict

from monitoring import selectors
from monitoring.models import DisclosedCell, Observation, StaleDisclosureGroup


def stored_cells(municipality) -> dict:
    stored: dict = defaultdict(dict)
    for (
        indicator_id,
        period,
        area_id,
        numerator,
        denominator,
        reason,
    ) in DisclosedCell.objects.filter(municipality=municipality).values_list(
        "indicator_id", "period", "sozialraum_id", "numerator", "denominator", "reason"
    ):
        key = selectors.TOTAL if area_id is None else area_id
        stored[(indicator_id, period)][key] = (numerator, denominator, reason)
    return dict(stored)


def computed_cells(municipality) -> dict:
    keys = set(
        Observation.objects.filter(sozialraum__municipality=municipality)
        .values_list("indicator_id", "period")
        .distinct()
    )
    return {
        group: {
            key: (counts.numerator, counts.denominator, reason)
            for key, (counts, reason) in cells.items()
        }
        for group, cells in selectors.compute_groups(municipality.pk, keys).items()
    }


def assert_cells_current(municipality) -> None:
    """Nothing left to refresh, and the stored cells are exactly the fresh computation."""
    assert not StaleDisclosureGroup.objects.filter(municipality=municipality).exists()
    assert stored_cells(municipality) == computed_cells(municipality)


def stale_groups(municipality) -> set:
    return set(
        StaleDisclosureGroup.objects.filter(municipality=municipality).values_list(
            "indicator_id", "period"
        )
    )
