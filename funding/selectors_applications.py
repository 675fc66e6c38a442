"""Reads of the application list (API and CSV export).

`application_rows` is the ORM query: every filtered row, for the CSV export and as the oracle
of `ApplicationListPage`, the hand-written statement that reads one page with the count of all
rows (issue 3: list endpoint within 3× of raw SQL – building the ORM query cost about as much
as running it). tests/funding/test_api_rows.py holds the two to the same rows."""

import json

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, TextField
from django.db.models.functions import Cast, JSONObject

from funding.models import ApplicationYear
from funding.permissions import applications_for, readable_municipality_ids
from funding.selectors_pages import CountedSqlPage

LIST_FIELDS = (
    "id",
    "number",
    "municipality__ags",
    "municipality__short_name",
    "call_id",
    "status",
    "submitted_at",
    "decided_at",
)

# A year of the financing plan as the list shows it; amounts as the decimal strings of the
# columns (numeric(12, 2) as text keeps its two places).
YEAR_ROWS = (
    ApplicationYear.objects.filter(application=OuterRef("pk"))
    .order_by("year")
    .values(
        row=JSONObject(
            year="year",
            eligible_costs=Cast("eligible_costs", TextField()),
            requested_grant=Cast("requested_grant", TextField()),
        )
    )
)


def application_rows(user, filters: dict):
    """Rows (dicts with LIST_FIELDS and `plan`) of the applications the user may read,
    newest first; `filters` as the API's ListQuerySerializer validates them."""
    applications = applications_for(user)
    if "status" in filters:
        applications = applications.filter(status=filters["status"])
    if "year" in filters:
        applications = applications.filter(years__year=filters["year"])
    if "call" in filters:
        applications = applications.filter(call_id=filters["call"])
    if "municipality" in filters:
        applications = applications.filter(municipality__ags=filters["municipality"])
    return (
        applications.order_by("-created_at", "-pk")
        .annotate(plan=ArraySubquery(YEAR_ROWS))
        .values(*LIST_FIELDS, "plan")
    )


_PAGE = """
    SELECT a.id, a.number, m.ags AS municipality__ags, m.short_name AS municipality__short_name,
           a.call_id, a.status, a.submitted_at, a.decided_at,
           ARRAY(SELECT jsonb_build_object('year', y.year,
                                           'eligible_costs', y.eligible_costs::text,
                                           'requested_grant', y.requested_grant::text)
                   FROM funding_applicationyear y
                  WHERE y.application_id = a.id ORDER BY y.year) AS plan,
           COUNT(*) OVER () AS total
      FROM funding_application a
      JOIN municipalities_municipality m ON m.id = a.municipality_id
     WHERE {where}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT %(limit)s OFFSET %(offset)s
"""
_COUNT = """
    SELECT COUNT(*) FROM funding_application a
      JOIN municipalities_municipality m ON m.id = a.municipality_id
     WHERE {where}
"""


class ApplicationListPage(CountedSqlPage):
    """The rows of `application_rows` for a paginator, one statement a page (selectors_pages)."""

    def __init__(self, *, user, filters: dict):
        conditions = ["TRUE"]
        params: dict = {}
        municipality_ids = readable_municipality_ids(user)
        if municipality_ids is not None:
            conditions.append("a.municipality_id = ANY(%(municipality_ids)s)")
            params["municipality_ids"] = sorted(municipality_ids)
        if "status" in filters:
            conditions.append("a.status = %(status)s")
            params["status"] = filters["status"]
        if "year" in filters:
            conditions.append(
                "EXISTS (SELECT 1 FROM funding_applicationyear y"
                " WHERE y.application_id = a.id AND y.year = %(year)s)"
            )
            params["year"] = filters["year"]
        if "call" in filters:
            conditions.append("a.call_id = %(call)s")
            params["call"] = filters["call"]
        if "municipality" in filters:
            conditions.append("m.ags = %(ags)s")
            params["ags"] = filters["municipality"]
        where = " AND ".join(conditions)
        self.params = params
        self.page_sql = _PAGE.format(where=where)
        self.count_sql = _COUNT.format(where=where)

    def _row(self, row: dict) -> dict:
        # Django hands jsonb to Python as text (its JSONField parses it); so do we.
        row["plan"] = [json.loads(year) if isinstance(year, str) else year for year in row["plan"]]
        return row
