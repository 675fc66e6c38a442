"""A Leitbild of municipality A on top of the monitoring world (tests.monitoring.api.conftest):

- Fassung 1, adopted, one goal „Armut senken“ with a sub-goal, measured by SGB2:
  * for the whole municipality: baseline 2021 = 10 %, target 8 % in 2025
    (2022: 97/940 = 10.3 % → moved away from the target: red for everyone);
  * for Nord: baseline 2022 = 10 %, target 4 % in 2026 (2022: 2/40 = 5.0 %, below k: a
    coordinator sees green from the raw value, everyone else grey).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories_chains import GoalIndicatorFactory, LeitbildFactory, LeitbildGoalFactory
from tests.monitoring.api.conftest import mworld  # noqa: F401 – the hand-checked world


@dataclass
class LeitbildWorld:
    leitbild: object
    goal: object
    sub_goal: object
    total_measure: object
    nord_measure: object


@pytest.fixture
def lworld(personas, mworld) -> LeitbildWorld:  # noqa: F811
    leitbild = LeitbildFactory(
        municipality=personas.municipality_a,
        number=1,
        adopted=True,
        title="Gemeinsam stark für Kinder",
        council_decision_ref="Rat, Drucksache 12/2025",
        created_by=personas.coordinator_a,
    )
    goal = LeitbildGoalFactory(leitbild=leitbild, title="Armut senken", position=1)
    sub_goal = LeitbildGoalFactory(
        leitbild=leitbild, parent=goal, title="Familien in Nord erreichen", position=1
    )
    total_measure = GoalIndicatorFactory(
        goal=goal,
        indicator=mworld.indicator,
        baseline_year=2021,
        baseline_value=Decimal("10.000"),
        target_value=Decimal("8.000"),
        target_year=2025,
    )
    nord_measure = GoalIndicatorFactory(
        goal=sub_goal,
        indicator=mworld.indicator,
        sozialraum=mworld.nord,
        baseline_year=2022,
        baseline_value=Decimal("10.000"),
        target_value=Decimal("4.000"),
        target_year=2026,
    )
    return LeitbildWorld(leitbild, goal, sub_goal, total_measure, nord_measure)
