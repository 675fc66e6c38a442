from decimal import Decimal

import pytest

from monitoring.models import Observation, QualityFlag, QualityFlagKind
from monitoring.quality import check_observations, resolve_flag
from tests.factories import MunicipalityFactory
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory

# Shares in % of 1,000 children: ordinary areas vary between 9 and 13 %.
HISTORY = {2017: 100, 2018: 110, 2019: 105, 2020: 95, 2021: 102}
PEERS = [90, 100, 110, 120, 130, 95, 105]


@pytest.fixture
def world(db):
    municipality = MunicipalityFactory()
    indicator = IndicatorFactory()
    areas = [SozialraumFactory(municipality=municipality) for _ in PEERS]
    return municipality, indicator, areas


def observe(indicator, area, period, numerator):
    return ObservationFactory(
        indicator=indicator,
        sozialraum=area,
        period=period,
        numerator=Decimal(numerator),
        denominator=Decimal(1000),
    )


def kinds(observation):
    return set(observation.quality_flags.values_list("kind", flat=True))


def test_planted_outlier_against_own_history_is_found_and_a_normal_value_not(world):
    _municipality, indicator, areas = world
    for period, value in HISTORY.items():
        observe(indicator, areas[0], period, value)
        observe(indicator, areas[1], period, value)
    planted = observe(indicator, areas[0], 2022, 300)
    normal = observe(indicator, areas[1], 2022, 108)
    check_observations(observation_ids=[planted.pk, normal.pk])
    assert QualityFlagKind.OUTLIER_OWN_HISTORY in kinds(planted)
    assert kinds(normal) == set()
    flag = planted.quality_flags.get(kind=QualityFlagKind.OUTLIER_OWN_HISTORY)
    assert flag.score > 3
    assert "Vorjahren" in flag.message
    assert "30,0" in flag.message


def test_history_needs_four_years(world):
    _municipality, indicator, areas = world
    for period in (2019, 2020, 2021):
        observe(indicator, areas[0], period, 100 + period % 3)
    planted = observe(indicator, areas[0], 2022, 300)
    check_observations(observation_ids=[planted.pk])
    assert QualityFlagKind.OUTLIER_OWN_HISTORY not in kinds(planted)


def test_planted_outlier_against_peers_is_found_and_normal_values_not(world):
    municipality, indicator, areas = world
    observations = [observe(indicator, a, 2022, v) for a, v in zip(areas, PEERS, strict=True)]
    outlier_area = SozialraumFactory(municipality=municipality)
    planted = observe(indicator, outlier_area, 2022, 450)
    # A value of another municipality does not count as a peer.
    observe(indicator, SozialraumFactory(), 2022, 10)
    check_observations(municipality=municipality, periods=[2022])
    assert QualityFlagKind.OUTLIER_PEERS in kinds(planted)
    assert all(kinds(o) == set() for o in observations)
    flag = planted.quality_flags.get()
    assert flag.score > Decimal("3.5")
    assert "Median 10,8" in flag.message  # of all 8 values, the planted one included


def test_range_and_numerator_checks(world):
    _municipality, indicator, areas = world
    indicator.value_max = Decimal(50)
    indicator.save()
    high = observe(indicator, areas[0], 2022, 600)  # 60 % > 50 %
    # An imported value that slipped past the entry check.
    above = ObservationFactory(
        indicator=indicator, sozialraum=areas[1], period=2022, numerator=12, denominator=10
    )
    check_observations(observation_ids=[high.pk, above.pk])
    assert kinds(high) == {QualityFlagKind.OUT_OF_RANGE}
    assert QualityFlagKind.NUMERATOR_ABOVE_DENOMINATOR in kinds(above)
    assert (
        "Zähler 12 ist größer als Nenner 10"
        in above.quality_flags.get(kind=QualityFlagKind.NUMERATOR_ABOVE_DENOMINATOR).message
    )


def test_recheck_removes_stale_open_flags_and_keeps_checked_ones(world, django_user_model):
    _municipality, indicator, areas = world
    indicator.value_max = Decimal(50)
    indicator.save()
    first = observe(indicator, areas[0], 2022, 600)
    second = observe(indicator, areas[1], 2022, 700)
    check_observations(observation_ids=[first.pk, second.pk])
    user = django_user_model.objects.create_user(email="p@example.org", password="x" * 12)
    resolve_flag(actor=user, flag=second.quality_flags.get(), note="stimmt so")
    Observation.objects.filter(pk__in=[first.pk, second.pk]).update(numerator=100)
    check_observations(observation_ids=[first.pk, second.pk])
    assert kinds(first) == set()
    assert QualityFlag.objects.get().resolution_note == "stimmt so"


def test_check_takes_constant_queries(world, django_assert_max_num_queries):
    municipality, indicator, areas = world
    ids = []
    for period in range(2012, 2023):
        for area, value in zip(areas, PEERS, strict=True):
            ids.append(observe(indicator, area, period, value + period % 5).pk)
    with django_assert_max_num_queries(8):
        check_observations(observation_ids=ids)
    with django_assert_max_num_queries(8):
        check_observations(municipality=municipality, periods=range(2012, 2023))


def test_identical_history_has_no_spread_and_no_outlier(world):
    _municipality, indicator, areas = world
    for period in range(2016, 2022):
        observe(indicator, areas[0], period, 100)
    changed = observe(indicator, areas[0], 2022, 300)
    check_observations(observation_ids=[changed.pk])
    assert kinds(changed) == set()


def test_recheck_does_not_rewrite_a_checked_finding(world, django_user_model):
    _municipality, indicator, areas = world
    indicator.value_max = Decimal(50)
    indicator.save()
    high = observe(indicator, areas[0], 2022, 600)
    check_observations(observation_ids=[high.pk])
    user = django_user_model.objects.create_user(email="q@example.org", password="x" * 12)
    resolve_flag(actor=user, flag=high.quality_flags.get(), note="stimmt so")
    Observation.objects.filter(pk=high.pk).update(numerator=800)
    assert check_observations(observation_ids=[high.pk]) == 1
    flag = high.quality_flags.get()
    assert "60,0" in flag.message  # the message the note refers to
    assert flag.resolution_note == "stimmt so"


def test_secret_values_are_skipped_and_lose_their_open_findings(world):
    _municipality, indicator, areas = world
    indicator.value_max = Decimal(50)
    indicator.save()
    high = observe(indicator, areas[0], 2022, 600)
    check_observations(observation_ids=[high.pk])
    Observation.objects.filter(pk=high.pk).update(status="secret", numerator=None, denominator=None)
    assert check_observations(observation_ids=[high.pk]) == 0
    assert kinds(high) == set()


def test_many_values_take_the_same_queries_as_few(world, django_assert_num_queries):
    """The whole check is one statement, however many values a scope holds."""
    municipality, indicator, areas = world
    observe(indicator, areas[0], 2022, 100)
    with django_assert_num_queries(4):  # savepoint, scope, the check, release
        check_observations(municipality=municipality, periods=[2022])
    more = [IndicatorFactory() for _ in range(3)]
    for ind in [indicator, *more]:
        for period in range(2012, 2023):
            for area, value in zip(areas, PEERS, strict=True):
                if (ind, area, period) != (indicator, areas[0], 2022):
                    observe(ind, area, period, value + period % 5)
    ids = list(Observation.objects.values_list("pk", flat=True))
    assert len(ids) == 4 * 11 * len(PEERS)
    with django_assert_num_queries(4):
        check_observations(municipality=municipality, periods=range(2012, 2023))
    with django_assert_num_queries(4):
        check_observations(observation_ids=ids)
