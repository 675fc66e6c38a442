"""Reads of the Leitbild: versions, the goal tree, and the traffic light of each goal indicator.

Traffic light (Ampel) of a goal indicator, from the monitoring values the reader may see:

- current value: the latest period from the baseline year on with a value shown to the reader
  (the municipality total when the goal indicator names no Sozialraum);
- progress = (current − baseline) / (target − baseline): the share of the planned way done,
  negative when the value moved away from the target;
- expected = (period − baseline year) / (target year − baseline year), clipped to [0, 1]:
  the share of the way that should be done by then if progress were even;
- green „im Plan“: the target is reached (progress ≥ 1), or progress ≥ expected − TOLERANCE
  and there was some progress (or none was expected yet, in the baseline year itself);
- red „keine Verbesserung“: otherwise, if progress ≤ 0;
- yellow „in die richtige Richtung, aber hinter dem Plan“: otherwise (0 < progress < expected
  − TOLERANCE);
- grey „keine Daten“ when there is no value from the baseline year on, or „Wert nicht
  darstellbar (Datenschutz)“ when values exist but are all hidden from the reader.

Disclosure: the values come from monitoring.selectors.observation_table for the reader, so a
coordinator (raw rights) gets the light of the raw value and everyone else grey where it is
„.“. `strict=True` (PDFs, which are forwarded) applies the rule for readers without raw rights
whoever asks (monitoring.reports.services.strict).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monitoring import disclosure
from monitoring import selectors as monitoring_selectors
from monitoring.reports.services import strict as as_for_readers_without_raw_rights
from prevention_chains.models import GoalIndicator, Leitbild, LeitbildGoal, LeitbildStatus

# A light stays green if progress lags the even path by at most this share of the whole way
# (5 percentage points): yearly values scatter, and a small lag is not yet „behind the plan“.
TOLERANCE = Decimal("0.05")

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"

ON_TRACK = "on_track"
BEHIND = "behind"
NO_IMPROVEMENT = "no_improvement"
NO_DATA = "no_data"
WITHHELD = "withheld"

# status → (colour, label, KERN icon): never colour alone, always a text and an icon.
STATUSES = {
    ON_TRACK: (GREEN, _("im Plan"), "check"),
    BEHIND: (YELLOW, _("in die richtige Richtung, aber hinter dem Plan"), "warning"),
    NO_IMPROVEMENT: (RED, _("keine Verbesserung"), "danger"),
    NO_DATA: (GREY, _("keine Daten"), "info"),
    WITHHELD: (GREY, _("Wert nicht darstellbar (Datenschutz)"), "info"),
}

HIDDEN_REASONS = (disclosure.PRIMARY, disclosure.SECONDARY, disclosure.SOURCE_SECRET)


@dataclass(frozen=True)
class TrafficLight:
    status: str
    current_value: Decimal | None = None
    current_period: int | None = None
    progress: Decimal | None = None  # share of the way from baseline to target
    expected: Decimal | None = None  # share that should be done by current_period
    target_reached: bool = False

    @property
    def colour(self) -> str:
        return STATUSES[self.status][0]

    @property
    def label(self) -> str:
        return str(STATUSES[self.status][1])

    @property
    def icon(self) -> str:
        return STATUSES[self.status][2]

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal(1))

    @property
    def expected_percent(self) -> Decimal | None:
        return None if self.expected is None else (self.expected * 100).quantize(Decimal(1))


def classify(
    *,
    baseline_year: int,
    baseline_value: Decimal,
    target_year: int,
    target_value: Decimal,
    current_period: int,
    current_value: Decimal,
) -> TrafficLight:
    """The light of one shown value (a pure function; see the module doc for the rule)."""
    progress = (current_value - baseline_value) / (target_value - baseline_value)
    expected = Decimal(current_period - baseline_year) / Decimal(target_year - baseline_year)
    expected = min(max(expected, Decimal(0)), Decimal(1))
    reached = progress >= 1
    if reached or (progress >= expected - TOLERANCE and (progress > 0 or expected == 0)):
        status = ON_TRACK
    elif progress <= 0:
        status = NO_IMPROVEMENT
    else:
        status = BEHIND
    return TrafficLight(
        status=status,
        current_value=current_value,
        current_period=current_period,
        progress=progress,
        expected=expected,
        target_reached=reached,
    )


def light_from_rows(goal_indicator: GoalIndicator, rows) -> TrafficLight:
    """The light of a goal indicator from the disclosed rows of its indicator and area."""
    since_baseline = [r for r in rows if r.period >= goal_indicator.baseline_year]
    shown = [r for r in since_baseline if r.value is not None and not r.suppressed]
    if not shown:
        withheld = any(r.reason in HIDDEN_REASONS for r in since_baseline)
        return TrafficLight(status=WITHHELD if withheld else NO_DATA)
    latest = max(shown, key=lambda r: r.period)
    return classify(
        baseline_year=goal_indicator.baseline_year,
        baseline_value=goal_indicator.baseline_value,
        target_year=goal_indicator.target_year,
        target_value=goal_indicator.target_value,
        current_period=latest.period,
        current_value=latest.value,
    )


def traffic_lights(
    *, user, municipality, goal_indicators, strict: bool = False
) -> dict[int, TrafficLight]:
    """{goal indicator id: light} for the reader, in one monitoring read (five queries)."""
    goal_indicators = list(goal_indicators)
    if not goal_indicators:
        return {}
    rows = monitoring_selectors.observation_table(
        user=user,
        municipality=municipality,
        indicators={g.indicator_id for g in goal_indicators},
        sozialraeume={g.sozialraum_id for g in goal_indicators if g.sozialraum_id},
        include_totals=True,
    )
    by_series: dict[tuple[int, int | None], list] = defaultdict(list)
    for row in rows:
        if strict:
            row = as_for_readers_without_raw_rights(row)
        area_id = row.sozialraum.pk if row.sozialraum is not None else None
        by_series[(row.indicator.pk, area_id)].append(row)
    return {
        g.pk: light_from_rows(g, by_series.get((g.indicator_id, g.sozialraum_id), []))
        for g in goal_indicators
    }


# --- the goal tree -----------------------------------------------------------------------------


def trimmed(value: Decimal) -> Decimal:
    """A stored value without the trailing zeros of its three decimal places (12.500 → 12.5),
    so that „12,500“ is never read as twelve thousand five hundred."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass
class MeasureRow:
    """A goal indicator as pages and PDFs show it."""

    goal_indicator: GoalIndicator
    light: TrafficLight | None

    @property
    def baseline_value(self) -> Decimal:
        return trimmed(self.goal_indicator.baseline_value)

    @property
    def target_value(self) -> Decimal:
        return trimmed(self.goal_indicator.target_value)


@dataclass
class GoalNode:
    goal: LeitbildGoal
    measures: list[MeasureRow] = field(default_factory=list)
    sub_goals: list["GoalNode"] = field(default_factory=list)


def goal_tree(leitbild: Leitbild, *, user=None, strict: bool = False) -> list[GoalNode]:
    """The goals in order, each with its sub-goals and its indicators; with `user`, each
    indicator with its traffic light. Three queries, plus the monitoring read with a user."""
    goals = list(
        LeitbildGoal.objects.filter(leitbild=leitbild)
        .order_by("position", "pk")
        .prefetch_related("life_phases")
    )
    measures = list(
        GoalIndicator.objects.filter(goal__leitbild=leitbild)
        .select_related("indicator", "sozialraum")
        .order_by("pk")
    )
    lights = {}
    if user is not None:
        lights = traffic_lights(
            user=user, municipality=leitbild.municipality, goal_indicators=measures, strict=strict
        )
    nodes = {goal.pk: GoalNode(goal) for goal in goals}
    for measure in measures:
        nodes[measure.goal_id].measures.append(MeasureRow(measure, lights.get(measure.pk)))
    roots = []
    for goal in goals:
        if goal.parent_id is None:
            roots.append(nodes[goal.pk])
        else:
            nodes[goal.parent_id].sub_goals.append(nodes[goal.pk])
    return roots


@dataclass
class LeitbildOverview:
    adopted: Leitbild | None
    draft: Leitbild | None
    versions: list[Leitbild]


def leitbild_overview(municipality) -> LeitbildOverview:
    """All versions of the municipality's Leitbild, newest first (one query)."""
    versions = list(
        Leitbild.objects.filter(municipality=municipality)
        .select_related("created_by")
        .order_by("-number")
    )
    by_status = {v.status: v for v in versions if v.status != LeitbildStatus.SUPERSEDED}
    for version in versions:
        version.municipality = municipality  # saves a query per version in templates
    return LeitbildOverview(
        adopted=by_status.get(LeitbildStatus.ADOPTED),
        draft=by_status.get(LeitbildStatus.DRAFT),
        versions=versions,
    )
