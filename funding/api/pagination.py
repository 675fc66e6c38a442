"""The pagination of the long funding lists (applications, review queue; issue 3 speed target):
the portal's pages, counted in the page's own query.

A page of 50 rows costs PostgreSQL little; a second round trip and a second ORM compilation
for the count cost about as much again. `COUNT(*) OVER ()` counts the filtered rows before
LIMIT, and PostgreSQL still evaluates the rows' correlated subqueries (years, totals) for the
page's rows only. The response is PortalPagination's: count, next, previous, results.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

from accounts.api.pagination import PortalPagination

TOTAL = "_total"

# PostgreSQL's OFFSET is a bigint: a page beyond it is left to the count, which answers 404.
_MAX_OFFSET = 2**62


class _CountingPaginator(Paginator):
    """Reads the requested page with the count of all rows. Its object_list is a values()
    queryset (each row gains the key TOTAL) or an object with `page_with_total(offset, limit)`
    and `count()` such as selectors_review.QueuePage."""

    def page(self, number):
        if "count" in self.__dict__:
            return super().page(number)
        try:
            bottom = (int(number) - 1) * self.per_page
        except (TypeError, ValueError):
            return super().page(number)  # the paginator's own error for a non-number
        if not 0 <= bottom < _MAX_OFFSET:
            return super().page(number)
        rows, total = self._page_with_total(bottom)
        if rows:
            self.count = total
        elif bottom == 0:
            self.count = 0
        # An empty page further on: the count query decides the answer (404), as before.
        number = self.validate_number(number)
        return self._get_page(rows, number, self)

    def _page_with_total(self, bottom: int) -> tuple[list, int | None]:
        read = getattr(self.object_list, "page_with_total", None)
        if read is not None:
            return read(bottom, self.per_page)
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        return rows, rows[0][TOTAL] if rows else None


class CountingPagination(PortalPagination):
    django_paginator_class = _CountingPaginator
