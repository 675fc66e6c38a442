"""A list read by one hand-written statement per page, for the paginator of the long funding
API lists (funding.api.pagination): the page comes with the count of all rows (`COUNT(*) OVER
()` in the statement, column `total`); a separate count only for a page that came back empty or
for the paginator's ways that count first (`?page=last`)."""

from django.db import connection


class CountedSqlPage:
    """Subclasses set `page_sql` (with %(limit)s and %(offset)s and a `total` column),
    `count_sql` and `params`, and may adapt each row in `_row`."""

    page_sql: str
    count_sql: str
    params: dict

    def _row(self, row: dict) -> dict:
        return row

    def page_with_total(self, offset: int, limit: int) -> tuple[list[dict], int | None]:
        with connection.cursor() as cursor:
            cursor.execute(self.page_sql, {**self.params, "limit": limit, "offset": offset})
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        total = rows[0]["total"] if rows else None
        for row in rows:
            del row["total"]
        return [self._row(row) for row in rows], total

    def __getitem__(self, page: slice) -> list[dict]:
        return self.page_with_total(page.start or 0, page.stop - (page.start or 0))[0]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, self.params)
            return cursor.fetchone()[0]
