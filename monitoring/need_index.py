"""Need index (issue 4 §6): where should support go first („Ungleiches ungleich behandeln“)?

For each chosen indicator i with weight w_i, over the Sozialräume s of the municipality (the
lowest level, i.e. areas without sub-areas) in the index's year:

    z_i(s) = (x_i(s) − mean_i) / sd_i          (population standard deviation over the areas
                                                with a value; z = 0 if all values are equal)
    z_i(s) := −z_i(s)  if the indicator is "higher is better"
    index(s) = Σ w_i · z_i(s) / Σ w_i           (sums over the components with a value for s)

so a higher index means more need. Rank 1 is the highest index; areas without any value get no
rank. Neutral indicators have no direction and cannot be part of an index.

Disclosure: coordinators (raw access) get the index from the real values. Everyone else gets it
from the disclosed table only: a hidden value („.“) is missing, mean and sd are taken over the
shown values, and each result says how many components were missing – so the index never
carries information about a hidden value.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from monitoring import selectors
from monitoring.models import Direction, Indicator, NeedIndex, NeedIndexComponent
from municipalities.models import Sozialraum


class NeedIndexError(ValueError):
    """A need index could not be saved; the message says what to fix."""


@dataclass
class NeedIndexResult:
    sozialraum: Sozialraum
    score: Decimal | None
    rank: int | None = None
    z_scores: dict[int, Decimal | None] = field(default_factory=dict)  # indicator id → z
    missing: int = 0


def standardise(values: dict, *, flip: bool) -> dict:
    """{key: z} of the non-missing values (floats); missing keys stay out."""
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return {}
    mean = sum(present.values()) / len(present)
    sd = math.sqrt(sum((v - mean) ** 2 for v in present.values()) / len(present))
    sign = -1 if flip else 1
    return {k: (sign * (v - mean) / sd if sd else 0.0) for k, v in present.items()}


def combine(z_by_component: dict, weights: dict, areas: list) -> dict:
    """{area: (score or None, missing components)} from {component: {area: z}}."""
    result = {}
    for area in areas:
        total = weight_sum = 0.0
        missing = 0
        for component, weight in weights.items():
            z = z_by_component.get(component, {}).get(area)
            if z is None:
                missing += 1
                continue
            total += float(weight) * z
            weight_sum += float(weight)
        result[area] = (total / weight_sum if weight_sum else None, missing)
    return result


def compute(*, need_index: NeedIndex, user) -> list[NeedIndexResult]:
    """The ranking of the municipality's Sozialräume, highest need first."""
    municipality = need_index.municipality
    components = list(need_index.components.select_related("indicator"))
    if not components:
        return []
    rows = selectors.observation_table(
        user=user,
        municipality=municipality,
        indicators=[c.indicator for c in components],
        periods=[need_index.period],
        include_totals=False,
    )
    areas = {r.sozialraum.pk: r.sozialraum for r in rows}
    parents = {a.parent_id for a in areas.values()}
    leaves = sorted((a for a in areas.values() if a.pk not in parents), key=lambda a: a.code)
    values: dict[int, dict[int, float | None]] = {c.indicator_id: {} for c in components}
    for row in rows:
        if row.sozialraum.pk in parents:
            continue
        shown = row.value is not None and (row.raw or not row.suppressed)
        values[row.indicator.pk][row.sozialraum.pk] = float(row.value) if shown else None
    z_by_component = {
        c.indicator_id: standardise(
            values[c.indicator_id], flip=c.indicator.direction == Direction.HIGHER_IS_BETTER
        )
        for c in components
    }
    scores = combine(
        z_by_component, {c.indicator_id: c.weight for c in components}, [a.pk for a in leaves]
    )
    results = []
    for area in leaves:
        score, missing = scores[area.pk]
        results.append(
            NeedIndexResult(
                sozialraum=area,
                score=None if score is None else Decimal(str(round(score, 3))),
                z_scores={
                    c.indicator_id: _decimal(z_by_component[c.indicator_id].get(area.pk))
                    for c in components
                },
                missing=missing,
            )
        )
    ranked = sorted(
        (r for r in results if r.score is not None), key=lambda r: (-r.score, r.sozialraum.code)
    )
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    return ranked + [r for r in results if r.score is None]


def _decimal(z: float | None) -> Decimal | None:
    return None if z is None else Decimal(str(round(z, 2)))


def selectable_indicators(municipality) -> list[Indicator]:
    """Indicators that can be part of an index: active, with a direction."""
    return list(
        Indicator.objects.usable_by(municipality.pk)
        .filter(is_active=True)
        .exclude(direction=Direction.NEUTRAL)
    )


@transaction.atomic
def save_need_index(
    *,
    actor,
    municipality,
    name: str,
    period: int,
    weights: dict[Indicator, Decimal],
    need_index: NeedIndex | None = None,
) -> NeedIndex:
    """Create or change a need index with its components (weights > 0; the others drop out)."""
    chosen = {indicator: weight for indicator, weight in weights.items() if weight and weight > 0}
    if not chosen:
        raise NeedIndexError(_("Wählen Sie mindestens einen Indikator mit einem Gewicht über 0."))
    for indicator in chosen:
        if indicator.direction == Direction.NEUTRAL:
            raise NeedIndexError(
                _("„%(name)s“ hat keine Richtung und kann nicht in einen Bedarfsindex eingehen.")
                % {"name": indicator.name}
            )
    duplicate = NeedIndex.objects.filter(municipality=municipality, name=name)
    if need_index is not None:
        duplicate = duplicate.exclude(pk=need_index.pk)
    if duplicate.exists():
        raise NeedIndexError(
            _("Einen Bedarfsindex „%(name)s“ gibt es schon. Wählen Sie einen anderen Namen.")
            % {"name": name}
        )
    if need_index is None:
        need_index = NeedIndex(municipality=municipality, created_by=actor)
    else:
        need_index = NeedIndex.objects.select_for_update().get(pk=need_index.pk)
    need_index.name = name
    need_index.period = period
    need_index.save()
    need_index.components.exclude(indicator__in=list(chosen)).delete()
    for indicator, weight in chosen.items():
        NeedIndexComponent.objects.update_or_create(
            need_index=need_index, indicator=indicator, defaults={"weight": weight}
        )
    return need_index
