"""DisclosedTable pages are exactly the selector's whole table, cut into pages."""

from datetime import date
from decimal import Decimal

import pytest

from monitoring import selectors
from monitoring.api.tables import DisclosedTable
from monitoring.models import Indicator
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory

pytestmark = pytest.mark.django_db


def key(row) -> str:
    area = row.sozialraum.pk if row.sozialraum else None
    return repr((row.indicator.pk, row.period, area, row.value, row.suppressed))


@pytest.fixture
def recut(personas, mworld):
    """An old cut of Nord, valid to 2021, with a 2020 value: trees differ between years."""
    old = SozialraumFactory(
        municipality=personas.municipality_a,
        code="00",
        name="Nord (alt)",
        valid_from=date(2000, 1, 1),
        valid_to=date(2020, 12, 31),
    )
    third = IndicatorFactory(code="DRITTER", theme="Bildung", name="Aaa")
    ObservationFactory(indicator=third, sozialraum=old, period=2020, numerator=Decimal(9))
    ObservationFactory(indicator=mworld.indicator, sozialraum=old, period=2020)
    return old


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "reviewer"])
@pytest.mark.parametrize(("areas", "totals"), [(None, True), (None, False), ("nord_sued", True)])
def test_pages_match_the_whole_table(personas, mworld, recut, persona, areas, totals):
    user = getattr(personas, persona)
    area_ids = None if areas is None else [mworld.nord.pk, mworld.sued.pk]
    if persona == "reviewer":
        area_ids, totals = [], True
    table = DisclosedTable(
        user=user,
        municipality=personas.municipality_a,
        indicator_ids=None,
        area_ids=area_ids,
        periods=None,
        include_totals=totals,
    )
    whole = selectors.observation_table(
        user=user,
        municipality=personas.municipality_a,
        sozialraeume=area_ids,
        include_totals=totals,
    )
    assert len(table) == len(whole) > 0
    assert sorted(map(key, table.all())) == sorted(map(key, whole))
    ordered = [key(r) for r in table[0 : len(table)]]
    assert sorted(ordered) == sorted(map(key, whole))
    for size in (1, 3, 5, 7):
        pages = []
        for start in range(0, len(table), size):
            pages.extend(key(r) for r in table[start : start + size])
        assert pages == ordered, size


def test_a_page_never_computes_more_than_its_groups(personas, mworld, recut, monkeypatch):
    asked = []
    original = selectors.observation_table

    def spy(**kwargs):
        asked.append((kwargs["indicators"], kwargs["periods"]))
        return original(**kwargs)

    monkeypatch.setattr(selectors, "observation_table", spy)
    table = DisclosedTable(
        user=personas.viewer_a,
        municipality=personas.municipality_a,
        indicator_ids=None,
        area_ids=None,
        periods=None,
        include_totals=True,
    )
    first = table[0:2]
    assert len(first) == 2
    # The first group only: the third indicator („Bildung“, „Aaa“) in 2020.
    third = Indicator.objects.get(code="DRITTER")
    assert asked == [([third.pk], {2020})]
    assert first[0].indicator == third


def test_fallback_when_sizes_disagree(personas, mworld, monkeypatch):
    table = DisclosedTable(
        user=personas.viewer_a,
        municipality=personas.municipality_a,
        indicator_ids=None,
        area_ids=None,
        periods=None,
        include_totals=True,
    )
    groups = table.groups()
    monkeypatch.setattr(table, "_groups", [(groups[0][0], groups[0][1] + 1), *groups[1:]])
    whole = selectors.observation_table(
        user=personas.viewer_a, municipality=personas.municipality_a
    )
    assert [key(r) for r in table[0:3]] == [key(r) for r in whole[0:3]]
