"""A disclosure-controlled observation table that computes only the page it is asked for.

Disclosure control works on whole groups – one indicator in one year over the municipality's
tree of Sozialräume – so a page of 100 rows needs the groups it touches, not the whole table.
`DisclosedTable` is a sequence for Django's Paginator: its length comes from one cheap query
of which cells exist, and a slice asks monitoring.selectors.observation_table (the one
disclosure implementation) for the groups that the slice overlaps only.

The number of rows per group is worked out here (the total, plus every Sozialraum valid in
that year or observed then – the areas the selector's tree holds). A slice checks it against
the rows the selector returned, and falls back to the whole table if they ever disagree, so
this module can make a page slower, never wrong.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, DateField, F, Func, Q

from monitoring import selectors
from monitoring.models import Indicator, Observation
from municipalities.models import Sozialraum


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
        self._groups: list[tuple[tuple[int, int], int]] | None = None

    # -- the whole table (CSV) ------------------------------------------------------------------

    def all(self) -> list:
        if self.periods is not None and not self.periods:
            return []
        return self._table(self.indicator_ids, self.periods)

    def _table(self, indicator_ids, periods) -> list:
        return selectors.observation_table(
            user=self.user,
            municipality=self.municipality,
            indicators=indicator_ids,
            periods=periods,
            sozialraeume=self.area_ids,
            include_totals=self.include_totals,
        )

    # -- the sequence (pages) -------------------------------------------------------------------

    def groups(self) -> list[tuple[tuple[int, int], int]]:
        """[((indicator id, period), rows)] in the table's order."""
        if self._groups is not None:
            return self._groups
        self._groups = []
        if self.periods is not None and not self.periods:
            return self._groups
        indicators = Indicator.objects.usable_by(self.municipality.pk)
        if self.indicator_ids is not None:
            indicators = indicators.filter(pk__in=self.indicator_ids)
        order = list(indicators.order_by("theme", "name", "pk").values_list("pk", flat=True))
        cells = Observation.objects.filter(
            sozialraum__municipality=self.municipality, indicator__in=order
        )
        if self.periods is not None:
            cells = cells.filter(period__in=self.periods)
        # Per group, the observed areas that are not valid in its year: with the valid ones
        # they make the year's tree (the selector's rule). Counted in SQL: 1 row per group.
        first_day = Func(F("period"), 1, 1, function="make_date", output_field=DateField())
        last_day = Func(F("period"), 12, 31, function="make_date", output_field=DateField())
        outside = Q(sozialraum__valid_from__gt=last_day) | Q(sozialraum__valid_to__lt=first_day)
        if self.area_ids is not None:
            # A group exists whichever areas are asked for; only its rows are filtered.
            outside &= Q(sozialraum__in=self.area_ids)
        stats = (
            cells.values("indicator_id", "period")
            .annotate(outside=Count("pk", filter=outside))
            .order_by()
            .values_list("indicator_id", "period", "outside")
        )
        extra: dict[int, dict[int, int]] = defaultdict(dict)
        for indicator_id, period, outside_count in stats:
            extra[indicator_id][period] = outside_count
        areas = [
            area
            for area in Sozialraum.objects.filter(municipality=self.municipality).only(
                "pk", "valid_from", "valid_to"
            )
            if self.area_ids is None or area.pk in self.area_ids
        ]
        periods = {p for by_period in extra.values() for p in by_period}
        valid = {p: sum(1 for a in areas if selectors._valid_in_year(a, p)) for p in periods}
        totals = int(self.include_totals)
        for indicator_id in order:
            for period in sorted(extra[indicator_id]):
                size = valid[period] + extra[indicator_id][period] + totals
                self._groups.append(((indicator_id, period), size))
        return self._groups

    def __len__(self) -> int:
        return sum(size for _key, size in self.groups())

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        wanted, offset, position = [], 0, 0
        for key, size in self.groups():
            if position + size > start and position < stop:
                if not wanted:
                    offset = start - position
                wanted.append((key, size))
            position += size
        if not wanted:
            return []
        rows = self._table(sorted({i for (i, _p), _s in wanted}), {p for (_i, p), _s in wanted})
        by_group = defaultdict(list)
        for row in rows:
            by_group[(row.indicator.pk, row.period)].append(row)
        if any(len(by_group[key]) != size for key, size in wanted):
            return self.all()[start:stop]
        page = [row for key, _size in wanted for row in by_group[key]]
        return page[offset : offset + (stop - start)]
