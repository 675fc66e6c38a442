"""Plausibility checks of observations → QualityFlags for follow-up (DHIS2-style).

Rules (thresholds documented in docs/monitoring-data.md):
- numerator above denominator where the indicator says the numerator is a subset (entry refuses
  it; an import may still have stored one before the rule changed, so it is flagged too);
- value outside the indicator's plausible range (value_min/value_max);
- outlier against the area's own history: z-score over the previous years, |z| > 3 with at
  least 4 previous years;
- outlier against the peer areas of the same municipality, indicator and period: modified
  z-score 0.6745 × (x − median) / MAD, |M| > 3.5 (Iglewicz and Hoaglin), at least 5 areas.

The check is one SQL statement (after one query for the bounds of the comparison set):
PostgreSQL computes the values, the history statistics (window over the earlier years of each
area), the peer median and MAD (window ranks per municipality, indicator and year: the middle
pair averaged as statistics.median does; percentile_cont is no window function and would need
joins between derived sets, which the planner misjudged into nested loops) and replaces the
findings of the checked values. After an import of a million values the rows never travel to
Python, so memory stays bounded and the time grows with the number of values.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Observation, ObservationStatus, QualityFlag, QualityFlagKind
from municipalities.models import Sozialraum

HISTORY_Z_LIMIT = 3.0
HISTORY_MIN_YEARS = 4
PEER_M_LIMIT = 3.5
PEER_MIN_AREAS = 5
MAD_SCALE = 0.6745
# QualityFlag.score is numeric(10, 3); a near-constant series can give a larger z.
SCORE_LIMIT = Decimal("9999999.999")


def format_count(value: Decimal) -> str:
    """A count as a German reads it: 1234,5 – never 1.2345E+3."""
    return f"{value.normalize():f}".replace(".", ",")


# SQL counterparts of the Python formatting above (one decimal, German comma).
def _one_decimal(expr: str) -> str:
    return f"replace(round(({expr})::numeric, 1)::text, '.', ',')"


def _count(expr: str) -> str:
    return f"replace(trim_scale({expr})::text, '.', ',')"


def _message(template: str, replacements: dict[str, str], params: dict) -> str:
    """SQL building the translated message: the gettext template with its %(name)s placeholders
    replaced by SQL expressions – the catalogue keeps the Python placeholders."""
    key = f"tpl_{len(params)}"
    params[key] = template
    sql = f"%({key})s"
    for placeholder, expr in replacements.items():
        ph_key = f"ph_{len(params)}"
        params[ph_key] = placeholder
        sql = f"replace({sql}, %({ph_key})s, {expr})"
    params.setdefault("pct2", "%%")
    params.setdefault("pct1", "%")
    return f"left(replace({sql}, %(pct2)s, %(pct1)s), 300)"


def _score(expr: str) -> str:
    return f"greatest(least(round(({expr})::numeric, 3), %(score_max)s), -%(score_max)s)"


def _statement(target_sql: str, params: dict) -> str:
    observation = Observation._meta.db_table
    indicator = Observation._meta.get_field("indicator").related_model._meta.db_table
    area = Sozialraum._meta.db_table
    flag = QualityFlag._meta.db_table
    params.update(
        reported=ObservationStatus.REPORTED,
        k_numerator=QualityFlagKind.NUMERATOR_ABOVE_DENOMINATOR,
        k_range=QualityFlagKind.OUT_OF_RANGE,
        k_history=QualityFlagKind.OUTLIER_OWN_HISTORY,
        k_peers=QualityFlagKind.OUTLIER_PEERS,
        history_min=HISTORY_MIN_YEARS,
        z_limit=HISTORY_Z_LIMIT,
        peer_min=PEER_MIN_AREAS,
        m_limit=PEER_M_LIMIT,
        mad_scale=MAD_SCALE,
        score_max=SCORE_LIMIT,
        dash="–",
    )
    numerator_message = _message(
        _("Zähler %(n)s ist größer als Nenner %(d)s."),
        {"%(n)s": _count("numerator"), "%(d)s": _count("denominator")},
        params,
    )
    range_message = _message(
        _("Wert %(value)s liegt außerhalb des plausiblen Bereichs %(low)s bis %(high)s."),
        {
            "%(value)s": _one_decimal("value"),
            "%(low)s": f"coalesce({_one_decimal('value_min')}, %(dash)s)",
            "%(high)s": f"coalesce({_one_decimal('value_max')}, %(dash)s)",
        },
        params,
    )
    history_message = _message(
        _(
            "Wert %(value)s weicht stark von den %(years)d Vorjahren ab "
            "(Mittel %(mean)s, z = %(z)s; Grenze ±3)."
        ),
        {
            "%(value)s": _one_decimal("value"),
            "%(years)d": "history_n::text",
            "%(mean)s": _one_decimal("mean"),
            "%(z)s": _one_decimal("z"),
        },
        params,
    )
    peers_message = _message(
        _(
            "Wert %(value)s weicht stark von den anderen %(areas)d Sozialräumen "
            "ab (Median %(median)s, modifizierter z-Wert %(m)s; Grenze ±3,5)."
        ),
        {
            "%(value)s": _one_decimal("value"),
            "%(areas)d": "(peer_n - 1)::text",
            "%(median)s": _one_decimal("median"),
            "%(m)s": _one_decimal("m"),
        },
        params,
    )
    # Only table names and fixed SQL fragments are interpolated; every value is a parameter.
    return f"""
WITH base AS (
    -- The comparison set (every value of the target indicators in the target municipalities up
    -- to the latest target year); secret, missing and zero-denominator cells have no value.
    SELECT o.id, {target_sql} AS is_target, o.indicator_id, o.sozialraum_id,
           s.municipality_id, o.period, o.status, o.numerator, o.denominator,
           i.numerator_within_denominator AS within, i.value_min, i.value_max,
           CASE WHEN o.status = %(reported)s AND o.denominator <> 0
                THEN o.numerator::float8 / o.denominator::float8 * i.factor::float8 END AS value
    FROM {observation} o
    JOIN {area} s ON s.id = o.sozialraum_id
    JOIN {indicator} i ON i.id = o.indicator_id
    WHERE s.municipality_id = ANY(%(scope_municipalities)s::bigint[])
      AND o.indicator_id = ANY(%(scope_indicators)s::bigint[])
      AND o.period <= %(scope_period)s
),
-- Window passes only, no joins between derived sets: each is a sort of the comparison set.
-- Aggregates skip the NULL values; the peer median sorts NULLs last and counts only values.
ranked AS (
    SELECT *,
           count(value) OVER h AS history_n, avg(value) OVER h AS mean,
           stddev_samp(value) OVER h AS sd, max(value) OVER h AS hi, min(value) OVER h AS lo,
           count(value) OVER g AS peer_n,
           row_number() OVER (g ORDER BY value NULLS LAST) AS value_rank
    FROM base
    WINDOW h AS (
               PARTITION BY indicator_id, sozialraum_id ORDER BY period
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ),
           g AS (PARTITION BY municipality_id, indicator_id, period)
),
with_median AS (
    -- (a + b) / 2 of the middle pair, as statistics.median
    SELECT *, avg(CASE WHEN value_rank IN ((peer_n + 1) / 2, (peer_n + 2) / 2) THEN value END)
                  OVER (PARTITION BY municipality_id, indicator_id, period) AS median
    FROM ranked
),
deviation_ranked AS (
    SELECT *, row_number() OVER (
                  PARTITION BY municipality_id, indicator_id, period
                  ORDER BY abs(value - median) NULLS LAST
              ) AS deviation_rank
    FROM with_median
),
scored AS (
    SELECT *,
           -- identical earlier values: no spread, no z (the float sd may not be exactly 0)
           (value - mean) / CASE WHEN hi > lo THEN nullif(sd, 0) END AS z,
           %(mad_scale)s::float8 * (value - median) / nullif(mad, 0) AS m
    FROM (
        SELECT *, avg(CASE WHEN deviation_rank IN ((peer_n + 1) / 2, (peer_n + 2) / 2)
                           THEN abs(value - median) END)
                      OVER (PARTITION BY municipality_id, indicator_id, period) AS mad
        FROM deviation_ranked
    ) d
    WHERE is_target
),
checked AS (
    SELECT *,
           coalesce(status = %(reported)s AND within AND numerator > denominator, false)
               AS numerator_above,
           coalesce(value < value_min::float8 OR value > value_max::float8, false)
               AS out_of_range,
           coalesce(history_n >= %(history_min)s AND abs(z) > %(z_limit)s::float8, false)
               AS history_outlier,
           coalesce(peer_n >= %(peer_min)s AND abs(m) > %(m_limit)s::float8, false)
               AS peer_outlier
    FROM scored
),
findings AS (
    SELECT id, %(k_numerator)s AS kind, NULL::numeric AS score, {numerator_message} AS message
    FROM checked WHERE numerator_above
    UNION ALL
    SELECT id, %(k_range)s, NULL, {range_message} FROM checked WHERE out_of_range
    UNION ALL
    SELECT id, %(k_history)s, {_score("z")}, {history_message} FROM checked WHERE history_outlier
    UNION ALL
    SELECT id, %(k_peers)s, {_score("m")}, {peers_message} FROM checked WHERE peer_outlier
),
-- A finding that no longer applies goes, unless someone marked it as checked.
stale AS (
    DELETE FROM {flag} f USING checked c
    WHERE f.observation_id = c.id AND f.resolved_at IS NULL
      AND NOT ((f.kind = %(k_numerator)s AND c.numerator_above)
               OR (f.kind = %(k_range)s AND c.out_of_range)
               OR (f.kind = %(k_history)s AND c.history_outlier)
               OR (f.kind = %(k_peers)s AND c.peer_outlier))
),
upsert AS (
    INSERT INTO {flag} (observation_id, kind, score, message, created_at, resolution_note)
    SELECT id, kind, score, message, %(now)s, '' FROM findings
    ON CONFLICT (observation_id, kind) DO UPDATE
    SET score = EXCLUDED.score, message = EXCLUDED.message
    WHERE {flag}.resolved_at IS NULL
      AND ({flag}.score, {flag}.message) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.message)
)
SELECT count(*) FROM findings
"""  # noqa: S608


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
    params: dict = {"now": timezone.now()}
    targets = Observation.objects.all()
    if observation_ids is not None:
        params["ids"] = list(observation_ids)
        targets = targets.filter(pk__in=params["ids"])
        target_sql = "o.id = ANY(%(ids)s::bigint[])"
    else:
        if municipality is None or periods is None:
            raise ValueError("check_observations needs observation_ids or municipality+periods")
        params["municipality"] = getattr(municipality, "pk", municipality)
        params["periods"] = list(periods)
        targets = targets.filter(
            sozialraum__municipality=params["municipality"], period__in=params["periods"]
        )
        target_sql = "(s.municipality_id = %(municipality)s AND o.period = ANY(%(periods)s::int[]))"
    # The bounds of the comparison set as plain parameters: the planner then reads only these
    # rows through the indexes instead of guessing the size of a derived set.
    scope = targets.aggregate(
        municipalities=ArrayAgg("sozialraum__municipality_id", distinct=True, default=[]),
        indicators=ArrayAgg("indicator_id", distinct=True, default=[]),
        period=Max("period"),
    )
    if scope["period"] is None:
        return 0
    params.update(
        scope_municipalities=scope["municipalities"],
        scope_indicators=scope["indicators"],
        scope_period=scope["period"],
    )
    with connection.cursor() as cursor:
        cursor.execute(_statement(target_sql, params), params)
        return cursor.fetchone()[0]


@transaction.atomic
def resolve_flag(*, actor, flag: QualityFlag, note: str) -> QualityFlag:
    """Mark a finding as checked („geprüft“), with a note on what was found."""
    flag = QualityFlag.objects.select_for_update().get(pk=flag.pk)
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor
    flag.resolution_note = note.strip()[:300]
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return flag
