"""Leitbild services: one draft, adopting supersedes, adopted versions are read-only, a new
version copies goals and indicators, stale edits and wrong goal indicators are refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from prevention_chains import services_leitbild as services
from prevention_chains.errors import ChainError, StaleEditError
from prevention_chains.models import GoalIndicator, Leitbild, LeitbildStatus
from tests.factories_chains import (
    GoalIndicatorFactory,
    LeitbildFactory,
    LeitbildGoalFactory,
    LifePhaseFactory,
)
from tests.factories_monitoring import IndicatorFactory, SozialraumFactory

pytestmark = pytest.mark.django_db

COUNCIL_DAY = date(2025, 3, 20)


def draft_of(personas, **kwargs):
    return services.create_leitbild(
        municipality=personas.municipality_a,
        actor=personas.coordinator_a,
        title=kwargs.pop("title", "Leitbild"),
        **kwargs,
    )


def adopt(leitbild, actor, day=COUNCIL_DAY):
    return services.adopt_leitbild(
        leitbild=leitbild, actor=actor, council_decision_on=day, council_decision_ref="Rat 1/25"
    )


def with_goal(leitbild, actor):
    services.create_goal(leitbild=leitbild, actor=actor, title="Kinder wachsen gesund auf")
    return leitbild


def test_only_one_draft(personas):
    first = draft_of(personas)
    assert (first.number, first.status) == (1, LeitbildStatus.DRAFT)
    with pytest.raises(ChainError, match="schon einen Entwurf"):
        draft_of(personas)


def test_adopting_supersedes_the_adopted_version(personas):
    first = adopt(with_goal(draft_of(personas), personas.coordinator_a), personas.coordinator_a)
    assert first.status == LeitbildStatus.ADOPTED
    assert first.council_decision_on == COUNCIL_DAY
    assert first.adopted_at is not None
    second = services.start_new_version(leitbild=first, actor=personas.coordinator_a)
    adopt(second, personas.state_admin, day=COUNCIL_DAY + timedelta(days=30))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == LeitbildStatus.SUPERSEDED
    assert first.superseded_at is not None
    assert second.status == LeitbildStatus.ADOPTED
    assert Leitbild.objects.filter(status=LeitbildStatus.ADOPTED).count() == 1


def test_adopting_needs_goals_and_a_past_council_date(personas):
    draft = draft_of(personas)
    with pytest.raises(ChainError, match="ohne Ziele"):
        adopt(draft, personas.coordinator_a)
    with_goal(draft, personas.coordinator_a)
    with pytest.raises(ChainError) as refused:
        adopt(draft, personas.coordinator_a, day=timezone.localdate() + timedelta(days=1))
    assert "Zukunft" in refused.value.message_dict["council_decision_on"][0]


def test_adopted_version_is_read_only(personas):
    adopted = LeitbildFactory(municipality=personas.municipality_a, adopted=True, number=1)
    goal = LeitbildGoalFactory(leitbild=adopted)
    measure = GoalIndicatorFactory(goal=goal)
    actor = personas.coordinator_a
    attempts = [
        lambda: services.update_leitbild(
            leitbild=adopted, actor=actor, expected_version=adopted.version, title="x", text=""
        ),
        lambda: adopt(adopted, actor),
        lambda: services.create_goal(leitbild=adopted, actor=actor, title="Neu"),
        lambda: services.update_goal(goal=goal, actor=actor, title="Neu"),
        lambda: services.delete_goal(goal=goal, actor=actor),
        lambda: services.delete_goal_indicator(goal_indicator=measure, actor=actor),
    ]
    for attempt in attempts:
        with pytest.raises(ChainError, match="kann nicht mehr geändert werden"):
            attempt()
    adopted.refresh_from_db()
    assert adopted.title != "x"
    assert adopted.goals.count() == 1


def test_new_version_copies_text_goals_sub_goals_and_indicators(personas):
    phase = LifePhaseFactory(slug="kita-test", name="3–6 Kita (Test)")
    adopted = LeitbildFactory(
        municipality=personas.municipality_a, adopted=True, number=3, text="Unser Text"
    )
    goal = LeitbildGoalFactory(leitbild=adopted, title="Oberziel", position=2)
    goal.life_phases.add(phase)
    sub = LeitbildGoalFactory(leitbild=adopted, parent=goal, title="Unterziel", position=1)
    area = SozialraumFactory(municipality=personas.municipality_a)
    GoalIndicatorFactory(goal=goal, target_value=Decimal("12.5"))
    GoalIndicatorFactory(goal=sub, sozialraum=area)

    draft = services.start_new_version(leitbild=adopted, actor=personas.coordinator_a)

    assert (draft.number, draft.status, draft.text) == (4, LeitbildStatus.DRAFT, "Unser Text")
    copied = draft.goals.get(parent=None)
    assert (copied.title, copied.position) == ("Oberziel", 2)
    assert list(copied.life_phases.all()) == [phase]
    copied_sub = draft.goals.get(parent=copied)
    assert copied_sub.title == "Unterziel"
    measures = GoalIndicator.objects.filter(goal__leitbild=draft)
    assert measures.get(goal=copied).target_value == Decimal("12.5")
    assert measures.get(goal=copied_sub).sozialraum == area
    # The original is untouched.
    assert GoalIndicator.objects.filter(goal__leitbild=adopted).count() == 2
    with pytest.raises(ChainError, match="schon einen Entwurf"):
        services.start_new_version(leitbild=adopted, actor=personas.coordinator_a)


def test_stale_edit_is_refused(personas):
    draft = draft_of(personas)
    opened = draft.version
    services.update_leitbild(
        leitbild=draft, actor=personas.coordinator_a, expected_version=opened, title="A", text=""
    )
    with pytest.raises(StaleEditError, match="inzwischen"):
        services.update_leitbild(
            leitbild=draft,
            actor=personas.state_admin,
            expected_version=opened,
            title="B",
            text="",
        )
    draft.refresh_from_db()
    assert draft.title == "A"


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer", "coordinator_b"])
def test_only_writers_change_a_leitbild(personas, persona):
    with pytest.raises(ChainError, match="nicht ändern"):
        services.create_leitbild(
            municipality=personas.municipality_a, actor=getattr(personas, persona), title="X"
        )
    assert not Leitbild.objects.exists()


def test_sub_goals_are_one_level_deep(personas):
    draft = draft_of(personas)
    actor = personas.coordinator_a
    top = services.create_goal(leitbild=draft, actor=actor, title="A")
    sub = services.create_goal(leitbild=draft, actor=actor, title="A.1", parent=top)
    assert (top.position, sub.position) == (1, 1)
    with pytest.raises(ChainError) as refused:
        services.create_goal(leitbild=draft, actor=actor, title="A.1.1", parent=sub)
    assert "parent" in refused.value.message_dict
    other = services.create_goal(leitbild=draft, actor=actor, title="B")
    assert other.position == 2
    with pytest.raises(ChainError):
        services.update_goal(goal=top, actor=actor, title="A", parent=other)


def measure(**values):
    plan = {
        "indicator": None,
        "sozialraum": None,
        "baseline_year": 2022,
        "baseline_value": Decimal(20),
        "target_value": Decimal(15),
        "target_year": 2028,
    }
    plan.update(values)
    return services.Measure(**plan)


def test_goal_indicator_checks(personas):
    draft = draft_of(personas)
    goal = services.create_goal(leitbild=draft, actor=personas.coordinator_a, title="A")
    catalogue = IndicatorFactory()
    foreign_local = IndicatorFactory(municipality=personas.municipality_b)
    foreign_area = SozialraumFactory(municipality=personas.municipality_b)
    own_area = SozialraumFactory(municipality=personas.municipality_a)

    def refused(**values) -> dict:
        with pytest.raises(ChainError) as error:
            services.add_goal_indicator(
                goal=goal, actor=personas.coordinator_a, measure=measure(**values)
            )
        return error.value.message_dict

    assert "target_year" in refused(indicator=catalogue, target_year=2022)
    assert "indicator" in refused(indicator=foreign_local)
    assert "sozialraum" in refused(indicator=catalogue, sozialraum=foreign_area)
    assert "target_value" in refused(indicator=catalogue, target_value=Decimal(20))
    assert "baseline_year" in refused(indicator=catalogue, baseline_year=202)
    saved = services.add_goal_indicator(
        goal=goal,
        actor=personas.coordinator_a,
        measure=measure(indicator=catalogue, sozialraum=own_area),
    )
    assert saved.sozialraum == own_area
    own_local = IndicatorFactory(municipality=personas.municipality_a)
    changed = services.update_goal_indicator(
        goal_indicator=saved, actor=personas.coordinator_a, measure=measure(indicator=own_local)
    )
    assert (changed.indicator, changed.sozialraum) == (own_local, None)
