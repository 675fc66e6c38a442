"""observation_table: disclosure applied per user, filters never dodge it, constant queries."""

from decimal import Decimal

import pytest

from monitoring import disclosure, selectors
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    ObservationFactory,
    SozialraumFactory,
)


def _cells(rows, period=2022, indicator=None):
    return {
        (r.sozialraum.code if r.sozialraum else "total"): r
        for r in rows
        if r.period == period and (indicator is None or r.indicator == indicator)
    }


def test_raw_access_only_for_coordinators_of_the_municipality(personas):
    a = personas.municipality_a.pk
    assert selectors.has_raw_access(personas.coordinator_a, a)
    for user in (
        personas.viewer_a,
        personas.companion_a,
        personas.coordinator_b,
        personas.state_admin,
        personas.reviewer,
        personas.outsider,
    ):
        assert not selectors.has_raw_access(user, a)


def test_viewer_sees_primary_and_secondary_suppression(world, personas):
    rows = selectors.observation_table(
        user=personas.viewer_a, municipality=world.municipality, indicators=[world.poverty]
    )
    cells = _cells(rows)
    assert cells["1.1"].suppressed
    assert cells["1.1"].reason == disclosure.PRIMARY
    assert cells["1.1"].numerator is None
    assert cells["1.1"].value is None
    assert cells["1.1"].denominator == Decimal(100)  # denominators stay visible
    # 1.2 is the partner in Bezirk 1, so 1.1 cannot be Bezirk 1 minus 1.2
    assert cells["1.2"].reason == disclosure.SECONDARY
    assert cells["1.2"].value is None
    assert not cells["1"].suppressed
    assert cells["1"].value == Decimal("6.000")  # (2 + 10) / 200 × 100
    assert cells["total"].value == Decimal("15.500")
    assert not cells["2.1"].suppressed
    assert cells["2.1"].value == Decimal("20.000")
    assert all(not r.suppressed for r in _cells(rows, 2023).values())


def test_coordinator_sees_raw_values_and_what_others_see(world, personas):
    rows = selectors.observation_table(
        user=personas.coordinator_a, municipality=world.municipality, indicators=[world.poverty]
    )
    cells = _cells(rows)
    assert all(r.raw for r in rows)
    assert not cells["1.1"].suppressed
    assert cells["1.1"].numerator == Decimal(2)
    assert cells["1.1"].value == Decimal("2.000")
    assert cells["1.1"].would_be_suppressed
    assert cells["1.2"].would_be_suppressed
    assert not cells["2.1"].would_be_suppressed


def test_filtering_areas_does_not_dodge_secondary_suppression(world, personas):
    rows = selectors.observation_table(
        user=personas.viewer_a,
        municipality=world.municipality,
        indicators=[world.poverty],
        sozialraeume=[world.areas[1]],
        periods=[2022],
    )
    assert [r.sozialraum for r in rows if r.sozialraum] == [world.areas[1]]
    assert rows[-1].suppressed


def test_state_office_sees_only_released_years(world, personas):
    rows = selectors.observation_table(user=personas.reviewer, municipality=world.municipality)
    assert {r.period for r in rows} == {2022}
    assert _cells(rows, indicator=world.poverty)["1.1"].suppressed


@pytest.mark.parametrize("who", ["coordinator_b", "outsider", "researcher"])
def test_others_see_nothing(world, personas, who):
    user = getattr(personas, who)
    assert selectors.observation_table(user=user, municipality=world.municipality) == []


def test_source_secret_makes_the_total_missing(world, personas):
    obs = world.poverty.observations.get(sozialraum=world.areas[3], period=2022)
    obs.numerator = obs.denominator = None
    obs.status = "secret"
    obs.save()
    cells = _cells(
        selectors.observation_table(
            user=personas.viewer_a, municipality=world.municipality, indicators=[world.poverty]
        )
    )
    assert cells["2.2"].reason == disclosure.SOURCE_SECRET
    assert cells["2"].reason == disclosure.MISSING
    assert cells["total"].reason == disclosure.MISSING
    assert cells["2.1"].value == Decimal("20.000")


def _grow(municipality, indicator, count, prefix):
    for n in range(count):
        area = SozialraumFactory(municipality=municipality, code=f"{prefix}{n}")
        ObservationFactory(indicator=indicator, sozialraum=area, period=2022)


def test_query_count_does_not_grow_with_areas(world, personas, django_assert_max_num_queries):
    extra = IndicatorFactory()
    _grow(world.municipality, extra, 2, "X")
    # roles, indicators, areas, stale marks, stored cells, observations of the marked groups
    with django_assert_max_num_queries(6):
        selectors.observation_table(user=personas.viewer_a, municipality=world.municipality)
    _grow(world.municipality, extra, 40, "Y")
    personas.viewer_a._roles_by_municipality = None
    with django_assert_max_num_queries(6):
        rows = selectors.observation_table(user=personas.viewer_a, municipality=world.municipality)
    assert len([r for r in rows if r.indicator == extra]) > 40


def _released_municipality(indicator, numerator, status="reported"):
    area = SozialraumFactory()
    if status == "reported":
        ObservationFactory(
            indicator=indicator,
            sozialraum=area,
            period=2022,
            numerator=Decimal(numerator),
            denominator=Decimal(100),
        )
    else:
        ObservationFactory(
            indicator=indicator,
            sozialraum=area,
            period=2022,
            numerator=None,
            denominator=None,
            status=status,
        )
    DataApprovalFactory(municipality=area.municipality, period=2022, released_to_state_office=True)
    return area.municipality


def test_reference_leaves_out_incomplete_municipalities(world, personas):
    _released_municipality(world.poverty, 40)
    _released_municipality(world.poverty, 40)
    _released_municipality(world.poverty, None, status="secret")
    refs = selectors.reference_values(indicator=world.poverty, municipality=world.municipality)
    nrw = next(r for r in refs if r.label == "NRW" and r.period == 2022)
    assert nrw.contributors == 3
    assert nrw.value == Decimal("23.667")  # (62 + 40 + 40) / 300


def test_reference_protects_a_single_small_municipality(world, personas):
    # NRW minus the shown totals would give the small one, so NRW is hidden; the other
    # municipalities stay shown (their own pages show them anyway).
    _released_municipality(world.poverty, 40)
    _released_municipality(world.poverty, 40)
    small = _released_municipality(world.poverty, 1)
    refs = selectors.reference_values(indicator=world.poverty, municipality=world.municipality)
    nrw = next(r for r in refs if r.label == "NRW" and r.period == 2022)
    rows = selectors.state_office_table(indicator=world.poverty, period=2022)
    hidden = [r.municipality for r in rows if r.suppressed]
    assert hidden == [small]
    assert nrw.suppressed
    assert nrw.value is None
    _released_municipality(world.poverty, 2)  # two small ones: NRW − shown is their sum
    refs = selectors.reference_values(indicator=world.poverty, municipality=world.municipality)
    assert not next(r for r in refs if r.label == "NRW" and r.period == 2022).suppressed
