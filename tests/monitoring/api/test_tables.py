"""DisclosedTable pages are exactly the selector's whole table, cut into pages – read from the
stored cells, or computed while a group is marked stale."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.paginator import EmptyPage, Paginator

from monitoring import selectors
from monitoring.api.tables import DisclosedTable, _json_row
from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import StaleDisclosureGroup
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory

pytestmark = pytest.mark.django_db


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


def table_and_whole(user, municipality, area_ids, totals):
    table = DisclosedTable(
        user=user,
        municipality=municipality,
        indicators=None,
        area_ids=area_ids,
        periods=None,
        include_totals=totals,
    )
    whole = selectors.observation_table(
        user=user, municipality=municipality, sozialraeume=area_ids, include_totals=totals
    )
    return table, [_json_row(row) for row in whole]


@pytest.mark.parametrize("stored", [True, False])
@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "reviewer"])
@pytest.mark.parametrize(("areas", "totals"), [(None, True), (None, False), ("nord_sued", True)])
def test_pages_match_the_whole_table(personas, mworld, recut, stored, persona, areas, totals):
    if stored:
        refresh_disclosure()
    assert StaleDisclosureGroup.objects.exists() is not stored
    user = getattr(personas, persona)
    area_ids = None if areas is None else [mworld.nord.pk, mworld.sued.pk]
    if persona == "reviewer":
        area_ids, totals = [], True
    table, whole = table_and_whole(user, personas.municipality_a, area_ids, totals)
    assert len(table) == len(whole) > 0
    assert table[0 : len(table)] == whole
    for size in (1, 3, 5, 7):
        pages = []
        for start in range(0, len(table), size):
            pages.extend(table[start : start + size])
        assert pages == whole, size
    assert table[len(table) - 1] == whole[-1]


def test_a_stored_page_computes_nothing(personas, mworld, recut, monkeypatch):
    refresh_disclosure()

    def refuse(*args, **kwargs):
        raise AssertionError("computed although every group is stored")

    monkeypatch.setattr(selectors, "compute_groups", refuse)
    monkeypatch.setattr(selectors, "observation_table", refuse)
    table = DisclosedTable(
        user=personas.viewer_a,
        municipality=personas.municipality_a,
        indicators=None,
        area_ids=None,
        periods=None,
        include_totals=True,
    )
    first = table[0:2]
    # The first group: the third indicator („Bildung“, „Aaa“) in 2020, the total first.
    assert [(r["indicator"], r["period"], r["sozialraum"]) for r in first] == [
        ("DRITTER", 2020, None),
        ("DRITTER", 2020, "00"),
    ]


def test_a_stale_group_is_computed_not_read(personas, mworld):
    """A value written past the services (here: the factory) is marked by the database; the
    page shows the new suppression before any refresh."""
    refresh_disclosure()
    viewer = personas.viewer_a
    before, _ = table_and_whole(viewer, personas.municipality_a, None, True)
    assert not any(r["suppressed"] for r in before[0 : len(before)] if r["period"] == 2021)
    ObservationFactory(
        indicator=mworld.indicator,
        sozialraum=SozialraumFactory(municipality=personas.municipality_a, code="04"),
        period=2021,
        numerator=Decimal(1),
        denominator=Decimal(10),
    )
    table, whole = table_and_whole(viewer, personas.municipality_a, None, True)
    rows_2021 = [
        r for r in table[0 : len(table)] if r["indicator"] == "SGB2" and r["period"] == 2021
    ]
    reasons = {r["sozialraum"]: r["reason"] for r in rows_2021}
    assert reasons == {None: None, "01": "secondary", "02": None, "03": None, "04": "primary"}
    assert table[0 : len(table)] == whole


@pytest.mark.parametrize("stored", [True, False])
def test_a_page_known_beforehand_is_the_same_page(personas, mworld, recut, stored):
    if stored:
        refresh_disclosure()
    user = personas.viewer_a
    _table, whole = table_and_whole(user, personas.municipality_a, None, True)
    for size in (1, 4, 7, len(whole), len(whole) + 3):
        for number in range(1, len(whole) // size + 3):
            table, _ = table_and_whole(user, personas.municipality_a, None, True)
            table.expect((number - 1) * size, number * size)
            paginator = Paginator(table, size)
            if (number - 1) * size >= len(whole):
                with pytest.raises(EmptyPage):
                    paginator.page(number)
                continue
            assert paginator.count == len(whole)
            assert list(paginator.page(number)) == whole[(number - 1) * size : number * size]
