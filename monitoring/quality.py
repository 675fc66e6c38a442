"""Plausibility checks of observations → QualityFlags for follow-up (DHIS2-style).

Rules (thresholds documented in docs/monitoring-data.md):
- numerator above denominator where the indicator says the numerator is a subset (entry refuses
  it; an import may still have stored one before the rule changed, so it is flagged too);
- value outside the indicator's plausible range (value_min/value_max);
- outlier against the area's own history: z-score over the previous years, |z| > 3 with at
  least 4 previous years;
- outlier against the peer areas of the same municipality, indicator and period: modified
  z-score 0.6745 × (x − median) / MAD, |M| > 3.5 (Iglewicz and Hoaglin), at least 5 areas.

The checks read the whole bounded set they compare against (one municipality, the indicators
and periods concerned) in one query and write flags in bulk, so the number of queries does not
grow with the number of observations.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Observation, ObservationStatus, QualityFlag, QualityFlagKind

HISTORY_Z_LIMIT = 3.0
HISTORY_MIN_YEARS = 4
PEER_M_LIMIT = 3.5
PEER_MIN_AREAS = 5
MAD_SCALE = 0.6745


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def format_count(value: Decimal) -> str:
    """A count as a German reads it: 1234,5 – never 1.2345E+3."""
    return f"{value.normalize():f}".replace(".", ",")


def observation_value(numerator, denominator, factor) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator) * float(factor)


def _findings(target, value, history, peers) -> list[tuple[str, float | None, str]]:
    """target: dict of one observation; history: earlier values of its area; peers: values of
    the other areas in the same period."""
    findings = []
    if (
        target["within"]
        and target["numerator"] is not None
        and target["numerator"] > target["denominator"]
    ):
        findings.append(
            (
                QualityFlagKind.NUMERATOR_ABOVE_DENOMINATOR,
                None,
                _("Zähler %(n)s ist größer als Nenner %(d)s.")
                % {
                    "n": format_count(target["numerator"]),
                    "d": format_count(target["denominator"]),
                },
            )
        )
    if value is None:
        return findings
    low, high = target["value_min"], target["value_max"]
    if (low is not None and value < float(low)) or (high is not None and value > float(high)):
        findings.append(
            (
                QualityFlagKind.OUT_OF_RANGE,
                None,
                _("Wert %(value)s liegt außerhalb des plausiblen Bereichs %(low)s bis %(high)s.")
                % {
                    "value": _fmt(value),
                    "low": _fmt(float(low)) if low is not None else "–",
                    "high": _fmt(float(high)) if high is not None else "–",
                },
            )
        )
    if len(history) >= HISTORY_MIN_YEARS:
        mean = statistics.fmean(history)
        sd = statistics.stdev(history)
        if sd > 0:
            z = (value - mean) / sd
            if abs(z) > HISTORY_Z_LIMIT:
                findings.append(
                    (
                        QualityFlagKind.OUTLIER_OWN_HISTORY,
                        z,
                        _(
                            "Wert %(value)s weicht stark von den %(years)d Vorjahren ab "
                            "(Mittel %(mean)s, z = %(z)s; Grenze ±3)."
                        )
                        % {
                            "value": _fmt(value),
                            "years": len(history),
                            "mean": _fmt(mean),
                            "z": _fmt(z),
                        },
                    )
                )
    if len(peers) >= PEER_MIN_AREAS:
        median = statistics.median(peers)
        mad = statistics.median(abs(v - median) for v in peers)
        if mad > 0:
            m = MAD_SCALE * (value - median) / mad
            if abs(m) > PEER_M_LIMIT:
                findings.append(
                    (
                        QualityFlagKind.OUTLIER_PEERS,
                        m,
                        _(
                            "Wert %(value)s weicht stark von den anderen %(areas)d Sozialräumen "
                            "ab (Median %(median)s, modifizierter z-Wert %(m)s; Grenze ±3,5)."
                        )
                        % {
                            "value": _fmt(value),
                            "areas": len(peers) - 1,
                            "median": _fmt(median),
                            "m": _fmt(m),
                        },
                    )
                )
    return findings


@transaction.atomic
def check_observations(
    *,
    observation_ids: Iterable[int] | None = None,
    municipality=None,
    periods: Iterable[int] | None = None,
) -> int:
    """(Re)compute the flags of the given observations – by ids, or all of a municipality in
    the given periods. Findings that no longer apply are removed unless someone has already
    marked them as checked; a checked finding is kept with its note. Returns the number of
    findings."""
    if observation_ids is not None:
        targets = list(
            Observation.objects.filter(pk__in=list(observation_ids)).values(
                "pk", "indicator_id", "sozialraum_id", "sozialraum__municipality_id", "period"
            )
        )
    else:
        if municipality is None or periods is None:
            raise ValueError("check_observations needs observation_ids or municipality+periods")
        targets = list(
            Observation.objects.filter(
                sozialraum__municipality=municipality, period__in=list(periods)
            ).values("pk", "indicator_id", "sozialraum_id", "sozialraum__municipality_id", "period")
        )
    if not targets:
        return 0
    municipality_ids = {t["sozialraum__municipality_id"] for t in targets}
    indicator_ids = {t["indicator_id"] for t in targets}
    max_period = max(t["period"] for t in targets)
    # The comparison set: every value of these indicators in these municipalities up to the
    # latest period concerned (history and peers in one read).
    rows = Observation.objects.filter(
        sozialraum__municipality_id__in=municipality_ids,
        indicator_id__in=indicator_ids,
        period__lte=max_period,
    ).values(
        "pk",
        "indicator_id",
        "sozialraum_id",
        "sozialraum__municipality_id",
        "period",
        "status",
        "numerator",
        "denominator",
        "indicator__factor",
        "indicator__numerator_within_denominator",
        "indicator__value_min",
        "indicator__value_max",
    )
    by_pk, values = {}, {}
    series = defaultdict(list)  # (indicator, area) -> [(period, value)]
    peers = defaultdict(list)  # (municipality, indicator, period) -> [value]
    for row in rows:
        by_pk[row["pk"]] = row
        if row["status"] != ObservationStatus.REPORTED:
            continue
        value = observation_value(row["numerator"], row["denominator"], row["indicator__factor"])
        values[row["pk"]] = value
        if value is None:
            continue
        series[(row["indicator_id"], row["sozialraum_id"])].append((row["period"], value))
        peers[(row["sozialraum__municipality_id"], row["indicator_id"], row["period"])].append(
            value
        )
    target_ids = [t["pk"] for t in targets]
    found: dict[tuple[int, str], tuple[float | None, str]] = {}
    for pk in target_ids:
        row = by_pk.get(pk)
        if row is None or row["status"] != ObservationStatus.REPORTED:
            continue
        value = values.get(pk)
        history = [
            v
            for period, v in series[(row["indicator_id"], row["sozialraum_id"])]
            if period < row["period"]
        ]
        peer_values = peers[
            (row["sozialraum__municipality_id"], row["indicator_id"], row["period"])
        ]
        target = {
            "within": row["indicator__numerator_within_denominator"],
            "numerator": row["numerator"],
            "denominator": row["denominator"],
            "value_min": row["indicator__value_min"],
            "value_max": row["indicator__value_max"],
        }
        for kind, score, message in _findings(target, value, history, peer_values):
            found[(pk, kind)] = (score, message)
    existing = {
        (f.observation_id, f.kind): f
        for f in QualityFlag.objects.select_for_update().filter(observation_id__in=target_ids)
    }
    stale = [f.pk for key, f in existing.items() if key not in found and f.resolved_at is None]
    QualityFlag.objects.filter(pk__in=stale).delete()
    new, changed = [], []
    for (pk, kind), (score, message) in found.items():
        score_dec = Decimal(f"{score:.3f}") if score is not None else None
        flag = existing.get((pk, kind))
        if flag is None:
            new.append(
                QualityFlag(observation_id=pk, kind=kind, score=score_dec, message=message[:300])
            )
        elif flag.resolved_at is None and (flag.score != score_dec or flag.message != message):
            flag.score, flag.message = score_dec, message[:300]
            changed.append(flag)
    QualityFlag.objects.bulk_create(new)
    QualityFlag.objects.bulk_update(changed, ["score", "message"])
    return len(found)


@transaction.atomic
def resolve_flag(*, actor, flag: QualityFlag, note: str) -> QualityFlag:
    """Mark a finding as checked („geprüft“), with a note on what was found."""
    flag = QualityFlag.objects.select_for_update().get(pk=flag.pk)
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor
    flag.resolution_note = note.strip()[:300]
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return flag
