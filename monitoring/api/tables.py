"""The rows of /observations/ as a sequence for Django's Paginator, read from the stored
disclosure cells (monitoring.models.DisclosedCell).

A page is one indexed query over the cells of the municipality with the indicator's and the
Sozialraum's fields joined, plus one count; nothing is computed but the value of each row.
If a group in the request's range is still marked stale (a change whose refresh has not run),
the table is the selector's instead (monitoring.selectors.observation_table, which computes
stale groups afresh) – slower, never out of date.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, F, Func, IntegerField, Q, Value

from monitoring import disclosure, selectors
from monitoring.models import DisclosedCell, StaleDisclosureGroup
from municipalities.models import Sozialraum

_PAGE_FIELDS = (
    "indicator__code",
    "indicator_id",
    "indicator__unit",
    "indicator__factor",
    "sozialraum_id",
    "period",
    "numerator",
    "denominator",
    "reason",
)


class _ArrayPosition(Func):
    function = "array_position"
    output_field = IntegerField()


class DisclosedTable(Sequence):
    def __init__(
        self,
        *,
        user,
        municipality,
        indicator_ids: list[int] | None,
        area_ids: list[int] | None,
        periods: set[int] | None,
        include_totals: bool,
    ):
        self.user = user
        self.municipality = municipality
        self.indicator_ids = indicator_ids
        self.area_ids = None if area_ids is None else set(area_ids)
        allowed = selectors.readable_periods(user, municipality.pk)
        if allowed is not None:
            periods = allowed if periods is None else periods & allowed
        self.periods = periods
        self.include_totals = include_totals
        self.raw = selectors.has_raw_access(user, municipality.pk)
        self._length: int | None = None
        self._computed: list[dict] | None = None

    def all(self) -> list:
        """The whole table as the selector's rows (the CSV export)."""
        if self.periods is not None and not self.periods:
            return []
        return selectors.observation_table(
            user=self.user,
            municipality=self.municipality,
            indicators=self.indicator_ids,
            periods=self.periods,
            sozialraeume=self.area_ids,
            include_totals=self.include_totals,
        )

    def _in_range(self, queryset):
        queryset = queryset.filter(municipality=self.municipality)
        if self.indicator_ids is not None:
            queryset = queryset.filter(indicator_id__in=self.indicator_ids)
        if self.periods is not None:
            queryset = queryset.filter(period__in=self.periods)
        return queryset

    def _cells(self):
        cells = self._in_range(DisclosedCell.objects.all())
        if self.indicator_ids is None:
            cells = cells.filter(
                Q(indicator__municipality__isnull=True)
                | Q(indicator__municipality=self.municipality)
            )
        if self.area_ids is None:
            return cells if self.include_totals else cells.filter(sozialraum__isnull=False)
        areas = Q(sozialraum__in=self.area_ids)
        return cells.filter(areas | Q(sozialraum__isnull=True) if self.include_totals else areas)

    def __len__(self) -> int:
        if self._length is None:
            if self.periods is not None and not self.periods:
                self._length = 0
            elif self._in_range(StaleDisclosureGroup.objects.all()).exists():
                self._computed = [_json_row(row) for row in self.all()]
                self._length = len(self._computed)
            else:
                self._length = self._cells().count()
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        length = len(self)
        if self._computed is not None:
            return self._computed[index]
        start, stop, _step = index.indices(length)
        if start >= stop:
            return []
        # The areas in the selector's order (code, pk): sorting by their position spares the
        # page a join with every Sozialraum of the state.
        areas = {
            pk: (code, name)
            for pk, code, name in Sozialraum.objects.filter(municipality=self.municipality)
            .order_by("code", "pk")
            .values_list("pk", "code", "name")
        }
        order = Value(list(areas), output_field=ArrayField(BigIntegerField()))
        rows = (
            self._cells()
            .order_by(
                # The selector's order: indicators in catalogue order, years, the total first.
                "indicator__theme",
                "indicator__name",
                "indicator_id",
                "period",
                _ArrayPosition(order, F("sozialraum_id")).asc(nulls_first=True),
            )
            .values_list(*_PAGE_FIELDS)[start:stop]
        )
        return [self._stored_row(areas, *row) for row in rows]

    def _stored_row(self, areas, code, indicator_id, unit, factor, area_id, period, *cell) -> dict:
        numerator, denominator, reason = cell
        counts = disclosure.Counts(numerator, denominator)
        seen = selectors.shown(counts, reason, factor, self.raw)
        area_code, area_name = areas.get(area_id, (None, ""))
        return _json(
            (code, indicator_id, area_code, area_id, area_name, period),
            seen.numerator,
            denominator,
            seen.value,
            unit,
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
