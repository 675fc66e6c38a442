"""The rows of /observations/ as a sequence for Django's Paginator, read from the stored
disclosure cells (monitoring.models.DisclosedCell).

A page is one indexed query over the municipality's cells with the indicator's and the
Sozialraum's fields joined; the same query counts the rows (a window) and says whether a group
in the request's range is still marked stale. Nothing is computed but each row's value. If a
group is marked (a change whose refresh has not run), the table is the selector's instead
(monitoring.selectors.observation_table, which computes marked groups afresh) – slower, never
out of date.
"""

from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property

from django.db import connection

from monitoring import disclosure, selectors
from monitoring.models import Indicator, StaleDisclosureGroup

# The selector's order: indicators in catalogue order (their ids in that order are a
# parameter), years, the total first, then the areas (`position`). The Sozialraum's code and
# name come from subqueries, not a join: PostgreSQL evaluates them after sorting, for the
# page's rows only, where a join would first read the Sozialräume of the whole state. Raw SQL:
# building this query with the ORM took longer than running it.
_PAGE = """
SELECT c.indicator_id,
       (SELECT a.code FROM municipalities_sozialraum a WHERE a.id = c.sozialraum_id),
       c.sozialraum_id,
       (SELECT a.name FROM municipalities_sozialraum a WHERE a.id = c.sozialraum_id),
       c.period, c.numerator, c.denominator, c.reason,
       count(*) OVER (),
       EXISTS (SELECT 1 FROM monitoring_staledisclosuregroup s
                WHERE s.municipality_id = %(municipality)s
                  AND s.indicator_id = ANY(%(indicators)s) {stale})
  FROM monitoring_disclosedcell c
 WHERE c.municipality_id = %(municipality)s AND c.indicator_id = ANY(%(indicators)s) {where}
 ORDER BY array_position(%(indicators)s, c.indicator_id), c.period, c.position
 OFFSET %(offset)s LIMIT %(limit)s
"""


class DisclosedTable(Sequence):
    def __init__(
        self,
        *,
        user,
        municipality,
        indicators: list[Indicator] | None,
        area_ids: list[int] | None,
        periods: set[int] | None,
        include_totals: bool,
    ):
        self.user = user
        self.municipality = municipality
        self.requested_indicators = indicators  # in catalogue order; None = all usable ones
        self.area_ids = None if area_ids is None else set(area_ids)
        allowed = selectors.readable_periods(user, municipality.pk)
        if allowed is not None:
            periods = allowed if periods is None else periods & allowed
        self.periods = periods
        self.include_totals = include_totals
        self.raw = selectors.has_raw_access(user, municipality.pk)
        self._expected: tuple[int, int] | None = None
        self._length: int | None = None
        self._page: list[dict] | None = None
        self._computed: list[dict] | None = None

    @cached_property
    def indicators(self) -> dict[int, Indicator]:
        """{id: indicator} in catalogue order, the order of the table."""
        indicators = self.requested_indicators
        if indicators is None:
            indicators = Indicator.objects.usable_by(self.municipality.pk)
            indicators = indicators.order_by("theme", "name", "pk")
        return {indicator.pk: indicator for indicator in indicators}

    def all(self) -> list:
        """The whole table as the selector's rows (the CSV export)."""
        if self.periods is not None and not self.periods:
            return []
        return selectors.observation_table(
            user=self.user,
            municipality=self.municipality,
            indicators=self.requested_indicators,
            periods=self.periods,
            sozialraeume=self.area_ids,
            include_totals=self.include_totals,
        )

    def expect(self, start: int, stop: int) -> None:
        """The rows the paginator will ask for after the length: both come in one query."""
        self._expected = (start, stop)

    def _in_range(self, queryset):
        queryset = queryset.filter(
            municipality=self.municipality, indicator__in=list(self.indicators)
        )
        if self.periods is not None:
            queryset = queryset.filter(period__in=self.periods)
        return queryset

    def _rows(self, start: int, stop: int) -> list[tuple]:
        """The stored rows start:stop, each with the table's length and the stale flag."""
        where, stale = [], []
        params = {
            "municipality": self.municipality.pk,
            "indicators": list(self.indicators),
            "offset": start,
            "limit": stop - start,
        }
        if self.periods is not None:
            where.append("c.period = ANY(%(periods)s)")
            stale.append("s.period = ANY(%(periods)s)")
            params["periods"] = sorted(self.periods)
        if self.area_ids is not None:
            total = " OR c.sozialraum_id IS NULL" if self.include_totals else ""
            where.append(f"(c.sozialraum_id = ANY(%(areas)s){total})")
            params["areas"] = sorted(self.area_ids)
        elif not self.include_totals:
            where.append("c.sozialraum_id IS NOT NULL")
        sql = _PAGE.format(
            where="".join(f" AND {clause}" for clause in where),
            stale="".join(f" AND {clause}" for clause in stale),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._load()
        return self._length

    def _load(self) -> int:
        if self.periods is not None and not self.periods:
            return 0
        start, stop = self._expected or (0, 1)
        rows = self._rows(start, stop)
        page = rows
        if not rows and start:
            rows = self._rows(0, 1)  # the expected page lies past the end
        stale = rows[0][-1] if rows else self._in_range(StaleDisclosureGroup.objects.all()).exists()
        if stale:
            self._computed = [_json_row(row) for row in self.all()]
            return len(self._computed)
        if page and self._expected is not None:
            self._page = [self._stored_row(*row) for row in page]
        return rows[0][-2] if rows else 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        length = len(self)
        if self._computed is not None:
            return self._computed[index]
        start, stop, _step = index.indices(length)
        if start >= stop:
            return []
        if self._page is not None and self._expected[0] == start and stop <= self._expected[1]:
            return self._page[: stop - start]
        return [self._stored_row(*row) for row in self._rows(start, stop)]

    def _stored_row(self, indicator_id, area_code, area_id, area_name, period, *cell) -> dict:
        numerator, denominator, reason, _rows, _stale = cell
        indicator = self.indicators[indicator_id]
        counts = disclosure.Counts(numerator, denominator)
        seen = selectors.shown(counts, reason, indicator.factor, self.raw)
        return _json(
            (indicator.code, indicator_id, area_code, area_id, area_name or "", period),
            seen.numerator,
            denominator,
            seen.value,
            indicator.unit,
            (seen.suppressed, reason, self.raw and seen.would_be_suppressed),
        )


def _json_row(row) -> dict:
    """A row of monitoring.selectors.observation_table in the API's format."""
    area = row.sozialraum
    return _json(
        (
            row.indicator.code,
            row.indicator.pk,
            area.code if area else None,
            area.pk if area else None,
            area.name if area else "",
            row.period,
        ),
        row.numerator,
        row.denominator,
        row.value,
        row.indicator.unit,
        (row.suppressed, row.reason, row.raw and row.would_be_suppressed),
    )


def _json(where, numerator, denominator, value, unit, disclosed) -> dict:
    indicator, indicator_id, area, area_id, area_name, period = where
    suppressed, reason, hidden_for_others = disclosed
    return {
        "indicator": indicator,
        "indicator_id": indicator_id,
        "sozialraum": area,
        "sozialraum_id": area_id,
        "sozialraum_name": area_name,
        "period": period,
        "numerator": _decimal(numerator),
        "denominator": _decimal(denominator),
        "value": _decimal(value),
        "unit": unit,
        "suppressed": suppressed,
        "reason": reason,
        "hidden_for_others": hidden_for_others,
    }


def _decimal(value: Decimal | None) -> str | None:
    # Decimal strings, as everywhere in the API (COERCE_DECIMAL_TO_STRING).
    return None if value is None else str(value)
