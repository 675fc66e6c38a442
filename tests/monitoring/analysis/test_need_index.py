"""The need index ranks a constructed example as computed by hand."""

from decimal import Decimal

import pytest

from monitoring import need_index
from monitoring.models import Direction
from tests.factories_monitoring import (
    IndicatorFactory,
    NeedIndexComponentFactory,
    NeedIndexFactory,
    ObservationFactory,
    SozialraumFactory,
)


def _example(municipality, poverty_numerators):
    """Three Sozialräume; poverty (lower is better, weight 1) and care (higher is better,
    weight 3), all denominators 100."""
    areas = [SozialraumFactory(municipality=municipality, code=f"S{n}") for n in (1, 2, 3)]
    poverty = IndicatorFactory(direction=Direction.LOWER_IS_BETTER)
    care = IndicatorFactory(direction=Direction.HIGHER_IS_BETTER)
    for indicator, numerators in ((poverty, poverty_numerators), (care, [10, 50, 30])):
        for area, numerator in zip(areas, numerators, strict=True):
            ObservationFactory(
                indicator=indicator,
                sozialraum=area,
                period=2022,
                numerator=Decimal(numerator),
                denominator=Decimal(100),
            )
    index = NeedIndexFactory(municipality=municipality, period=2022)
    NeedIndexComponentFactory(need_index=index, indicator=poverty, weight=Decimal(1))
    NeedIndexComponentFactory(need_index=index, indicator=care, weight=Decimal(3))
    return areas, index


def test_ranking_by_hand(personas):
    # poverty 10/20/30: z = −1.2247, 0, 1.2247 (sd = √(200/3) = 8.165)
    # care 10/50/30: z = −1.2247, 1.2247, 0, flipped: 1.2247, −1.2247, 0
    # index = (1·z_p + 3·z_c) / 4: S1 = 0.612, S2 = −0.919, S3 = 0.306
    areas, index = _example(personas.municipality_a, [10, 20, 30])
    results = need_index.compute(need_index=index, user=personas.coordinator_a)
    assert [(r.sozialraum, r.rank) for r in results] == [
        (areas[0], 1),
        (areas[2], 2),
        (areas[1], 3),
    ]
    assert [r.score for r in results] == [Decimal("0.612"), Decimal("0.306"), Decimal("-0.919")]
    assert all(r.missing == 0 for r in results)


def test_suppressed_values_are_missing_for_non_raw_users(personas):
    # poverty 2/20/30: 2 is below k = 3, 20 is its secondary partner → only S3 shown
    areas, index = _example(personas.municipality_a, [2, 20, 30])
    viewer = {r.sozialraum: r for r in need_index.compute(need_index=index, user=personas.viewer_a)}
    assert viewer[areas[0]].missing == 1
    assert viewer[areas[1]].missing == 1
    assert viewer[areas[2]].missing == 0
    # only care counts for S1 and S2: z_c flipped = 1.2247, −1.2247; S3: (1·0 + 3·0) / 4 = 0
    assert viewer[areas[0]].score == Decimal("1.225")
    assert viewer[areas[1]].score == Decimal("-1.225")
    assert viewer[areas[2]].score == Decimal("0")
    coordinator = need_index.compute(need_index=index, user=personas.coordinator_a)
    assert all(r.missing == 0 for r in coordinator)


def test_standardise_equal_values_give_zero():
    assert need_index.standardise({"a": 5.0, "b": 5.0, "c": None}, flip=False) == {
        "a": 0.0,
        "b": 0.0,
    }


def test_save_refuses_neutral_and_empty(personas):
    neutral = IndicatorFactory(direction=Direction.NEUTRAL)
    with pytest.raises(need_index.NeedIndexError, match="keine Richtung"):
        need_index.save_need_index(
            actor=personas.coordinator_a,
            municipality=personas.municipality_a,
            name="X",
            period=2022,
            weights={neutral: Decimal(1)},
        )
    with pytest.raises(need_index.NeedIndexError, match="mindestens einen Indikator"):
        need_index.save_need_index(
            actor=personas.coordinator_a,
            municipality=personas.municipality_a,
            name="X",
            period=2022,
            weights={neutral: Decimal(0)},
        )
