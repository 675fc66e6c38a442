"""The stored disclosure cells stay what disclosure control computes afresh, whichever way the
data change: the services refresh them, the database marks every other change as stale."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring import selectors, services
from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import (
    DisclosedCell,
    Indicator,
    Observation,
    ObservationStatus,
    StaleDisclosureGroup,
)
from municipalities.models import Sozialraum, SozialraumLevel
from tests.factories import MunicipalityFactory, UserFactory
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory
from tests.monitoring.cells import assert_cells_current, stale_groups, stored_cells

pytestmark = pytest.mark.django_db

PERIODS = (2020, 2021)


def small_town():
    """Two Stadtbezirke with two Sozialräume each, one Sozialraum directly below the total,
    and one that ends in 2020 (so the two years have different trees)."""
    municipality = MunicipalityFactory()
    districts = [
        SozialraumFactory(
            municipality=municipality, code=f"B{d}", level=SozialraumLevel.STADTBEZIRK
        )
        for d in (1, 2)
    ]
    areas = [
        SozialraumFactory(municipality=municipality, code=f"B{d}.{n}", parent=district)
        for d, district in enumerate(districts, start=1)
        for n in (1, 2)
    ]
    areas.append(SozialraumFactory(municipality=municipality, code="C"))
    areas.append(
        SozialraumFactory(municipality=municipality, code="D", valid_to=date(2020, 12, 31))
    )
    indicators = [
        IndicatorFactory(municipality=municipality, code=f"L{n}", min_cases=3) for n in (1, 2)
    ]
    return municipality, areas, indicators


def record(actor, indicator, area, period, status, numerator, denominator):
    current = Observation.objects.filter(
        indicator=indicator, sozialraum=area, period=period
    ).first()
    services.record_observation(
        actor=actor,
        indicator=indicator,
        sozialraum=area,
        period=period,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        status=status,
        expected_updated_at=current.updated_at if current else None,
    )


writes = st.lists(
    st.one_of(
        st.tuples(
            st.just("record"),
            st.integers(0, 5),
            st.integers(0, 1),
            st.sampled_from(PERIODS),
            st.sampled_from([ObservationStatus.REPORTED] * 4 + [ObservationStatus.SECRET]),
            st.integers(0, 12),
            st.integers(0, 30),
        ),
        st.tuples(st.just("k"), st.integers(0, 1), st.integers(0, 8)),
        st.tuples(
            st.just("delete"), st.integers(0, 5), st.integers(0, 1), st.sampled_from(PERIODS)
        ),
        st.tuples(st.just("validity"), st.integers(0, 5), st.sampled_from([None, 2020, 2021])),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes)
def test_every_write_sequence_leaves_the_fresh_computation_stored(db, steps):
    municipality, areas, indicators = small_town()
    actor = UserFactory()
    refresh_disclosure(municipality_id=municipality.pk)
    for step in steps:
        kind = step[0]
        if kind == "record":
            _kind, a, i, period, status, numerator, extra = step
            record(actor, indicators[i], areas[a], period, status, numerator, numerator + extra)
        elif kind == "k":
            _kind, i, k = step
            services.update_local_indicator(
                actor=actor, indicator=indicators[i], code=indicators[i].code, min_cases=k
            )
        elif kind == "delete":
            # No service deletes values; the trigger marks the group, a refresh drops it.
            _kind, a, i, period = step
            Observation.objects.filter(
                indicator=indicators[i], sozialraum=areas[a], period=period
            ).delete()
            refresh_disclosure(municipality_id=municipality.pk)
        else:
            # What the Sozialraum pages do: the service changes the area, then a refresh.
            _kind, a, year = step
            areas[a].valid_to = None if year is None else date(year, 12, 31)
            areas[a].save(update_fields=["valid_to"])
            refresh_disclosure(municipality_id=municipality.pk)
        assert_cells_current(municipality)


# What the database marks ----------------------------------------------------------------


@pytest.fixture
def town():
    municipality, areas, indicators = small_town()
    for area in areas[:5]:
        for indicator in indicators:
            ObservationFactory(indicator=indicator, sozialraum=area, period=2021, numerator=2)
    return municipality, areas, indicators


def test_writes_past_the_services_are_marked_and_a_refresh_stores_them(town):
    municipality, _areas, indicators = town
    assert stale_groups(municipality) == {(i.pk, 2021) for i in indicators}
    assert refresh_disclosure(municipality_id=municipality.pk) == 2
    assert_cells_current(municipality)
    # Every cell of the tree: the total, two Stadtbezirke, five Sozialräume (D ended 2020).
    assert len(stored_cells(municipality)[(indicators[0].pk, 2021)]) == 8


def test_a_refresh_of_one_municipality_leaves_the_others_marked(town):
    municipality, _areas, _indicators = town
    other = ObservationFactory(period=2021)
    refresh_disclosure(municipality_id=municipality.pk)
    assert stale_groups(other.sozialraum.municipality) == {(other.indicator_id, 2021)}
    refresh_disclosure()
    assert not StaleDisclosureGroup.objects.exists()


def test_k_marks_every_group_of_the_indicator_and_nothing_else_does(town):
    municipality, _areas, indicators = town
    refresh_disclosure()
    Indicator.objects.filter(pk=indicators[0].pk).update(name="Neuer Name", factor=1000)
    assert stale_groups(municipality) == set()
    Indicator.objects.filter(pk=indicators[0].pk).update(min_cases=1)
    assert stale_groups(municipality) == {(indicators[0].pk, 2021)}
    refresh_disclosure()
    assert_cells_current(municipality)


def test_the_tree_marks_every_group_of_its_municipality(town):
    municipality, areas, indicators = town
    refresh_disclosure()
    areas[0].name = "Umbenannt"
    areas[0].save()
    assert stale_groups(municipality) == set()
    areas[0].parent = None
    areas[0].save()
    assert stale_groups(municipality) == {(i.pk, 2021) for i in indicators}
    refresh_disclosure()
    assert_cells_current(municipality)
    SozialraumFactory(municipality=municipality, code="E")
    assert stale_groups(municipality) == {(i.pk, 2021) for i in indicators}
    refresh_disclosure()
    assert_cells_current(municipality)


def test_deleting_the_last_value_of_a_group_drops_its_cells(town):
    municipality, _areas, indicators = town
    refresh_disclosure()
    Observation.objects.filter(indicator=indicators[1]).delete()
    refresh_disclosure()
    assert_cells_current(municipality)
    assert not DisclosedCell.objects.filter(indicator=indicators[1]).exists()


# The other write paths refresh by themselves ----------------------------------------------


def test_a_new_k_in_the_admin_is_stored_at_once(personas, town):
    municipality, areas, _indicators = town
    refresh_disclosure()
    catalogue = IndicatorFactory(min_cases=3)
    ObservationFactory(indicator=catalogue, sozialraum=areas[0], period=2021, numerator=2)
    refresh_disclosure()
    request = RequestFactory().post("/")
    request.user = personas.state_admin
    catalogue.min_cases = 1
    site._registry[Indicator].save_model(request, catalogue, form=None, change=True)
    assert_cells_current(municipality)
    cells = stored_cells(municipality)[(catalogue.pk, 2021)]
    assert {reason for _n, _d, reason in cells.values()} == {None, "missing"}


def test_a_sozialraum_created_on_its_page_is_in_the_stored_tree(client, personas):
    municipality = personas.municipality_a
    area = SozialraumFactory(municipality=municipality, code="1")
    ObservationFactory(sozialraum=area, period=2022)
    refresh_disclosure()
    client.force_login(personas.coordinator_a)
    response = client.post(
        reverse("monitoring:sozialraum_create", args=[municipality.slug]),
        {
            "code": "2",
            "name": "Neu",
            "level": SozialraumLevel.SOZIALRAUM,
            "valid_from": "2015-01-01",
        },
    )
    assert response.status_code == 302
    assert_cells_current(municipality)
    # The new area has no value: it is missing, and with it the total.
    new = Sozialraum.objects.get(municipality=municipality, code="2")
    (cells,) = stored_cells(municipality).values()
    assert {key: reason for key, (_n, _d, reason) in cells.items()} == {
        selectors.TOTAL: "missing",
        area.pk: None,
        new.pk: "missing",
    }
