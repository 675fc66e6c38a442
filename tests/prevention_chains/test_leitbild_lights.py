"""The traffic light of a goal indicator: the classification on constructed values, and the
values it reads from the monitoring with disclosure control."""

from decimal import Decimal

import pytest

from prevention_chains import selectors_leitbild as selectors
from tests.factories_chains import GoalIndicatorFactory, LeitbildGoalFactory
from tests.factories_monitoring import IndicatorFactory
from tests.prevention_chains import leitbild_world

D = Decimal

# The world's fixtures, by name for pytest.
lworld = leitbild_world.lworld
mworld = leitbild_world.mworld


def light(current_period, current_value, **plan):
    values = {
        "baseline_year": 2020,
        "baseline_value": D(20),
        "target_year": 2030,
        "target_value": D(10),
    }
    values.update(plan)
    return selectors.classify(
        current_period=current_period, current_value=D(current_value), **values
    )


@pytest.mark.parametrize(
    ("period", "value", "status"),
    [
        (2025, "15", selectors.ON_TRACK),  # half the way after half the time
        (2025, "15.4", selectors.ON_TRACK),  # 46 % of 50 %: within the 5-point tolerance
        (2025, "15.6", selectors.BEHIND),  # 44 % of 50 %
        (2022, "9", selectors.ON_TRACK),  # beyond the target early
        (2029, "19", selectors.BEHIND),  # right direction, far behind
        (2025, "20", selectors.NO_IMPROVEMENT),  # no change
        (2025, "22", selectors.NO_IMPROVEMENT),  # away from the target
        (2020, "20", selectors.ON_TRACK),  # the baseline year: nothing expected yet
        (2020, "20.4", selectors.ON_TRACK),  # … a wobble within the tolerance
        (2020, "21", selectors.NO_IMPROVEMENT),  # … beyond it
        (2035, "11", selectors.BEHIND),  # after the target year all of the way is expected
    ],
)
def test_classification(period, value, status):
    assert light(period, value).status == status


def test_rising_target_and_figures():
    result = light(2024, "13", baseline_value=D(10), target_value=D(20))
    assert result.status == selectors.BEHIND
    assert result.progress == D("0.3")
    assert result.expected == D("0.4")
    assert light(2024, "14", baseline_value=D(10), target_value=D(20)).status == "on_track"
    assert light(2026, "20", baseline_value=D(10), target_value=D(20)).target_reached
    assert light(2026, "25", baseline_value=D(10), target_value=D(20)).status == "on_track"


def test_every_status_has_a_label_and_an_icon_besides_its_colour():
    for status, (colour, label, icon) in selectors.STATUSES.items():
        shown = selectors.TrafficLight(status=status)
        assert (shown.colour, shown.label, shown.icon) == (colour, str(label), icon)
        assert shown.label
        assert shown.icon
    assert selectors.TrafficLight(status=selectors.WITHHELD).label == (
        "Wert nicht darstellbar (Datenschutz)"
    )


def lights_for(user, lworld, strict=False):
    return selectors.traffic_lights(
        user=user,
        municipality=lworld.leitbild.municipality,
        goal_indicators=[lworld.total_measure, lworld.nord_measure],
        strict=strict,
    )


@pytest.mark.django_db
def test_coordinator_sees_the_light_of_the_raw_value(personas, lworld):
    lights = lights_for(personas.coordinator_a, lworld)
    nord = lights[lworld.nord_measure.pk]
    # Nord 2022: 2/40 = 5 % (below k), from 10 % towards 4 %: 83 % of the way in year 0.
    assert nord.status == selectors.ON_TRACK
    assert nord.current_value == D("5.000")
    assert nord.current_period == 2022
    total = lights[lworld.total_measure.pk]
    # The municipality: 97/940 = 10.319 % in 2022, away from the target 8 %.
    assert total.status == selectors.NO_IMPROVEMENT
    assert total.current_value == D("10.319")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer"])
def test_readers_without_raw_rights_get_grey_for_a_hidden_value(personas, lworld, persona):
    lights = lights_for(getattr(personas, persona), lworld)
    nord = lights[lworld.nord_measure.pk]
    assert nord.status == selectors.WITHHELD
    assert nord.colour == selectors.GREY
    assert nord.current_value is None
    # The total is shown to everyone (2022 is released to the state office).
    assert lights[lworld.total_measure.pk].status == selectors.NO_IMPROVEMENT


@pytest.mark.django_db
def test_strict_reading_hides_the_raw_value_from_the_coordinator_too(personas, lworld):
    lights = lights_for(personas.coordinator_a, lworld, strict=True)
    assert lights[lworld.nord_measure.pk].status == selectors.WITHHELD
    assert lights[lworld.total_measure.pk].status == selectors.NO_IMPROVEMENT


@pytest.mark.django_db
def test_latest_shown_period_from_the_baseline_year_on(personas, lworld):
    # From 2021 on the viewer sees Nord's 2021 value (10 %) – 2022 is hidden.
    measure = GoalIndicatorFactory(
        goal=lworld.sub_goal,
        indicator=lworld.nord_measure.indicator,
        sozialraum=lworld.nord_measure.sozialraum,
        baseline_year=2021,
        baseline_value=D(12),
        target_value=D(8),
        target_year=2025,
    )
    result = selectors.traffic_lights(
        user=personas.viewer_a,
        municipality=lworld.leitbild.municipality,
        goal_indicators=[measure],
    )[measure.pk]
    assert (result.current_period, result.current_value) == (2021, D("10.000"))
    assert result.status == selectors.ON_TRACK  # half the way in the baseline year


@pytest.mark.django_db
def test_no_data_without_values_since_the_baseline(personas, lworld):
    empty = IndicatorFactory(code="LEER", name="Ohne Werte")
    measures = [
        GoalIndicatorFactory(goal=lworld.goal, indicator=empty),
        GoalIndicatorFactory(
            goal=lworld.goal,
            indicator=lworld.total_measure.indicator,
            baseline_year=2023,
            target_year=2030,
        ),
    ]
    lights = selectors.traffic_lights(
        user=personas.coordinator_a,
        municipality=lworld.leitbild.municipality,
        goal_indicators=measures,
    )
    assert [lights[m.pk].status for m in measures] == [selectors.NO_DATA, selectors.NO_DATA]


@pytest.mark.django_db
def test_lights_read_the_monitoring_in_constant_queries(
    personas,
    lworld,
    django_assert_max_num_queries,
):
    for number in range(15):
        goal = LeitbildGoalFactory(leitbild=lworld.leitbild, title=f"Ziel {number}")
        GoalIndicatorFactory(goal=goal, indicator=IndicatorFactory())
        GoalIndicatorFactory(goal=goal, indicator=lworld.total_measure.indicator)
    user = personas.viewer_a
    user.has_programme_role("state_admin")  # roles read before counting
    with django_assert_max_num_queries(9):
        tree = selectors.goal_tree(lworld.leitbild, user=user)
    assert sum(len(node.measures) for node in tree) == 31
