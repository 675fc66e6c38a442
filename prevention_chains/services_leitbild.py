"""Writes of the Leitbild (issue 5 §1): versions, goals and sub-goals, goal indicators.

A municipality's Leitbild is a series of versions (Fassungen). Only the draft is edited; adopting
it records the council decision and supersedes the version adopted before. Adopted and
superseded versions are read-only: a change starts a new draft copied from them.

Every write locks the Leitbild row first, so two requests never change or adopt one draft at
the same time (and the check "is it still a draft?" holds until the commit).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Indicator
from municipalities.models import Municipality, Sozialraum
from prevention_chains.errors import ChainError, StaleEditError
from prevention_chains.models import (
    GoalIndicator,
    Leitbild,
    LeitbildGoal,
    LeitbildStatus,
    LifePhase,
)
from prevention_chains.permissions import can_write_chain

# Years a baseline or target may name; catches typos such as 202 or 20300.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def _require_writer(actor, municipality_id: int) -> None:
    if not can_write_chain(actor, municipality_id):
        raise ChainError(_("Sie dürfen das Leitbild dieser Kommune nicht ändern."))


def _locked(leitbild: Leitbild) -> Leitbild:
    return Leitbild.objects.select_for_update().get(pk=leitbild.pk)


def _locked_draft(leitbild: Leitbild, actor) -> Leitbild:
    """The Leitbild under a row lock, refused unless it is (still) the draft."""
    _require_writer(actor, leitbild.municipality_id)
    locked = _locked(leitbild)
    if locked.status != LeitbildStatus.DRAFT:
        raise ChainError(
            _(
                "Fassung %(number)s ist %(status)s und kann nicht mehr geändert werden. Legen "
                "Sie eine neue Fassung an, um das Leitbild fortzuschreiben."
            )
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


def _refuse_second_draft(municipality_id: int) -> None:
    draft = Leitbild.objects.filter(
        municipality_id=municipality_id, status=LeitbildStatus.DRAFT
    ).first()
    if draft is not None:
        raise ChainError(
            _(
                "Es gibt schon einen Entwurf (Fassung %(number)s). Bearbeiten Sie diesen "
                "Entwurf, statt einen zweiten anzulegen."
            )
            % {"number": draft.number}
        )


def _next_number(municipality_id: int) -> int:
    # The municipality row is locked by the caller, so two requests cannot take one number.
    highest = Leitbild.objects.filter(municipality_id=municipality_id).aggregate(Max("number"))
    return (highest["number__max"] or 0) + 1


def _lock_municipality(municipality: Municipality) -> None:
    Municipality.objects.select_for_update().filter(pk=municipality.pk).values_list("pk").get()


@transaction.atomic
def create_leitbild(*, municipality: Municipality, actor, title: str, text: str = "") -> Leitbild:
    """Start the municipality's first Leitbild (or a new one from scratch) as a draft."""
    _require_writer(actor, municipality.pk)
    _lock_municipality(municipality)
    _refuse_second_draft(municipality.pk)
    return Leitbild.objects.create(
        municipality=municipality,
        number=_next_number(municipality.pk),
        title=title,
        text=text,
        created_by=actor,
    )


@transaction.atomic
def update_leitbild(
    *, leitbild: Leitbild, actor, expected_version: int, title: str, text: str
) -> Leitbild:
    """Change title and text of the draft; refused if someone saved it since the form opened."""
    locked = _locked_draft(leitbild, actor)
    if locked.version != expected_version:
        raise StaleEditError(
            _(
                "Das Leitbild wurde inzwischen von jemand anderem geändert. Laden Sie die Seite "
                "neu, prüfen Sie die Änderungen und speichern Sie dann noch einmal."
            )
        )
    locked.title = title
    locked.text = text
    locked.version += 1
    locked.save(update_fields=["title", "text", "version", "updated_at"])
    return locked


@transaction.atomic
def adopt_leitbild(
    *,
    leitbild: Leitbild,
    actor,
    council_decision_on: date,
    council_decision_ref: str = "",
) -> Leitbild:
    """Record the council decision on the draft; the version adopted until now is superseded."""
    _lock_municipality(leitbild.municipality)
    locked = _locked_draft(leitbild, actor)
    if council_decision_on > timezone.localdate():
        raise ChainError(
            {
                "council_decision_on": [
                    _(
                        "Der Ratsbeschluss kann nicht in der Zukunft liegen. Erfassen Sie den "
                        "Beschluss, wenn er gefasst ist."
                    )
                ]
            }
        )
    if not locked.goals.exists():
        raise ChainError(
            _("Ein Leitbild ohne Ziele kann nicht beschlossen werden. Legen Sie zuerst Ziele an.")
        )
    now = timezone.now()
    Leitbild.objects.select_for_update().filter(
        municipality_id=locked.municipality_id, status=LeitbildStatus.ADOPTED
    ).update(status=LeitbildStatus.SUPERSEDED, superseded_at=now, updated_at=now)
    locked.status = LeitbildStatus.ADOPTED
    locked.council_decision_on = council_decision_on
    locked.council_decision_ref = council_decision_ref
    locked.adopted_at = now
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "council_decision_on",
            "council_decision_ref",
            "adopted_at",
            "version",
            "updated_at",
        ]
    )
    return locked


@transaction.atomic
def start_new_version(*, leitbild: Leitbild, actor) -> Leitbild:
    """A new draft copied from an adopted (or superseded) version: text, goals, sub-goals and
    their indicators, numbered after the municipality's newest version."""
    _require_writer(actor, leitbild.municipality_id)
    _lock_municipality(leitbild.municipality)
    source = _locked(leitbild)
    if source.status == LeitbildStatus.DRAFT:
        raise ChainError(
            _("Fassung %(number)s ist selbst ein Entwurf; bearbeiten Sie ihn direkt.")
            % {"number": source.number}
        )
    _refuse_second_draft(source.municipality_id)
    draft = Leitbild.objects.create(
        municipality_id=source.municipality_id,
        number=_next_number(source.municipality_id),
        title=source.title,
        text=source.text,
        created_by=actor,
    )
    _copy_goals(source, draft)
    return draft


def _copy_goals(source: Leitbild, draft: Leitbild) -> None:
    goals = list(
        source.goals.order_by("position", "pk").prefetch_related("life_phases", "indicators")
    )
    copy_of: dict[int, LeitbildGoal] = {}
    # Goals before sub-goals, so that each sub-goal finds the copy of its parent.
    for goal in sorted(goals, key=lambda g: g.parent_id is not None):
        copy = LeitbildGoal.objects.create(
            leitbild=draft,
            parent=copy_of.get(goal.parent_id),
            position=goal.position,
            title=goal.title,
            description=goal.description,
        )
        copy.life_phases.set(goal.life_phases.all())
        copy_of[goal.pk] = copy
    GoalIndicator.objects.bulk_create(
        GoalIndicator(
            goal=copy_of[goal.pk],
            indicator_id=measure.indicator_id,
            sozialraum_id=measure.sozialraum_id,
            baseline_year=measure.baseline_year,
            baseline_value=measure.baseline_value,
            target_value=measure.target_value,
            target_year=measure.target_year,
        )
        for goal in goals
        for measure in goal.indicators.all()
    )


# --- goals --------------------------------------------------------------------------------------


def _check_parent(leitbild: Leitbild, parent: LeitbildGoal | None, goal=None) -> None:
    if parent is None:
        return
    if parent.leitbild_id != leitbild.pk or parent.parent_id is not None:
        raise ChainError(
            {"parent": [_("Ein Unterziel gehört zu einem Oberziel desselben Leitbilds.")]}
        )
    if goal is not None and (parent.pk == goal.pk or goal.sub_goals.exists()):
        raise ChainError(
            {
                "parent": [
                    _(
                        "Ein Ziel mit Unterzielen kann nicht selbst Unterziel werden (es gibt "
                        "nur eine Ebene). Ordnen Sie zuerst seine Unterziele um."
                    )
                ]
            }
        )


def _next_position(leitbild: Leitbild, parent: LeitbildGoal | None) -> int:
    highest = LeitbildGoal.objects.filter(leitbild=leitbild, parent=parent).aggregate(
        Max("position")
    )["position__max"]
    return 1 if highest is None else highest + 1


@transaction.atomic
def create_goal(
    *,
    leitbild: Leitbild,
    actor,
    title: str,
    description: str = "",
    parent: LeitbildGoal | None = None,
    position: int | None = None,
    life_phases: list[LifePhase] | tuple = (),
) -> LeitbildGoal:
    """A goal (or, with `parent`, a sub-goal) of the draft; without position it goes last."""
    locked = _locked_draft(leitbild, actor)
    _check_parent(locked, parent)
    goal = LeitbildGoal.objects.create(
        leitbild=locked,
        parent=parent,
        title=title,
        description=description,
        position=_next_position(locked, parent) if position is None else position,
    )
    goal.life_phases.set(life_phases)
    return goal


@transaction.atomic
def update_goal(
    *,
    goal: LeitbildGoal,
    actor,
    title: str,
    description: str = "",
    parent: LeitbildGoal | None = None,
    position: int | None = None,
    life_phases: list[LifePhase] | tuple = (),
) -> LeitbildGoal:
    locked = _locked_draft(goal.leitbild, actor)
    _check_parent(locked, parent, goal)
    goal.title = title
    goal.description = description
    if parent != goal.parent or position is not None:
        goal.position = _next_position(locked, parent) if position is None else position
    goal.parent = parent
    goal.save()
    goal.life_phases.set(life_phases)
    return goal


@transaction.atomic
def delete_goal(*, goal: LeitbildGoal, actor) -> None:
    """Delete a goal of the draft with its sub-goals and their indicators."""
    _locked_draft(goal.leitbild, actor)
    goal.delete()


# --- goal indicators ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What a goal indicator says: which value, where, from when to when."""

    indicator: Indicator
    sozialraum: Sozialraum | None
    baseline_year: int
    baseline_value: Decimal
    target_value: Decimal
    target_year: int


def _check_measure(leitbild: Leitbild, measure: Measure) -> None:
    errors: dict[str, list[str]] = {}
    municipality_id = leitbild.municipality_id
    if not Indicator.objects.usable_by(municipality_id).filter(pk=measure.indicator.pk).exists():
        errors["indicator"] = [
            _(
                "Diesen Indikator kann die Kommune nicht verwenden. Wählen Sie einen Indikator "
                "aus dem Landeskatalog oder einen eigenen lokalen Indikator."
            )
        ]
    if measure.sozialraum is not None and measure.sozialraum.municipality_id != municipality_id:
        errors["sozialraum"] = [
            _("Wählen Sie einen Sozialraum der Kommune oder lassen Sie das Feld leer.")
        ]
    for field, year in (
        ("baseline_year", measure.baseline_year),
        ("target_year", measure.target_year),
    ):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            errors[field] = [
                _("Geben Sie ein Jahr zwischen %(first)s und %(last)s an.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
    if "target_year" not in errors and measure.target_year <= measure.baseline_year:
        errors["target_year"] = [_("Das Zieljahr muss nach dem Ausgangsjahr liegen.")]
    if measure.target_value == measure.baseline_value:
        errors["target_value"] = [
            _(
                "Zielwert und Ausgangswert sind gleich – so lässt sich kein Fortschritt messen. "
                "Geben Sie den Wert an, der im Zieljahr erreicht sein soll."
            )
        ]
    if errors:
        raise ChainError(errors)


def _apply(goal_indicator: GoalIndicator, measure: Measure) -> GoalIndicator:
    goal_indicator.indicator = measure.indicator
    goal_indicator.sozialraum = measure.sozialraum
    goal_indicator.baseline_year = measure.baseline_year
    goal_indicator.baseline_value = measure.baseline_value
    goal_indicator.target_value = measure.target_value
    goal_indicator.target_year = measure.target_year
    goal_indicator.save()
    return goal_indicator


@transaction.atomic
def add_goal_indicator(*, goal: LeitbildGoal, actor, measure: Measure) -> GoalIndicator:
    locked = _locked_draft(goal.leitbild, actor)
    _check_measure(locked, measure)
    return _apply(GoalIndicator(goal=goal), measure)


@transaction.atomic
def update_goal_indicator(
    *, goal_indicator: GoalIndicator, actor, measure: Measure
) -> GoalIndicator:
    locked = _locked_draft(goal_indicator.goal.leitbild, actor)
    _check_measure(locked, measure)
    return _apply(goal_indicator, measure)


@transaction.atomic
def delete_goal_indicator(*, goal_indicator: GoalIndicator, actor) -> None:
    _locked_draft(goal_indicator.goal.leitbild, actor)
    goal_indicator.delete()
