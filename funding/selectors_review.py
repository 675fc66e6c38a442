"""Reads of the review stage: the state office's queue and the comments a user may read.

The queue is a values() query: the years and the requested total come from correlated
subqueries, which PostgreSQL evaluates only for the rows of the page, so a page costs the same
few queries with 3 or 4,300 applications."""

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import ZERO, Application, ApplicationYear, Call, Comment, CommentVisibility
from funding.permissions import is_state_office
from funding.services.review import REVIEW_STATUSES

MINE = "mine"
UNASSIGNED = "unassigned"

QUEUE_FIELDS = (
    "pk",
    "number",
    "status",
    "submitted_at",
    "call_id",
    "municipality_id",
    "municipality__short_name",
    "municipality__regierungsbezirk",
    "reviewer_id",
)
# The page names the call and the reviewer; the API gives their ids and spares the two joins
# (they cost as much as the rest of its page query).
NAME_FIELDS = ("call__title", "reviewer__full_name", "reviewer__email")


@dataclass(frozen=True)
class QueueFilters:
    year: int | None = None
    status: str = ""  # empty: every state the review is concerned with
    regierungsbezirk: str = ""
    call: int | None = None
    assigned: str = ""  # MINE, UNASSIGNED or empty for all
    search: str = ""
    newest_first: bool = False


def review_queue(*, user, filters: QueueFilters, names: bool = True):
    """Rows of the review queue (dicts), oldest submission first unless asked otherwise; with
    `names` also the call's title and the reviewer's name and e-mail."""
    plans = ApplicationYear.objects.filter(application=OuterRef("pk"))
    rows = Application.objects.all()
    rows = (
        rows.filter(status=filters.status)
        if filters.status
        else rows.filter(status__in=REVIEW_STATUSES)
    )
    if filters.year is not None:
        rows = rows.filter(Exists(plans.filter(year=filters.year)))
    if filters.regierungsbezirk:
        rows = rows.filter(municipality__regierungsbezirk=filters.regierungsbezirk)
    if filters.call is not None:
        rows = rows.filter(call_id=filters.call)
    if filters.assigned == MINE:
        rows = rows.filter(reviewer=user)
    elif filters.assigned == UNASSIGNED:
        rows = rows.filter(reviewer__isnull=True)
    if filters.search:
        rows = rows.filter(
            Q(number__icontains=filters.search)
            | Q(municipality__short_name__icontains=filters.search)
        )
    submitted = "-submitted_at" if filters.newest_first else "submitted_at"
    return (
        rows.annotate(
            years_applied=ArraySubquery(plans.order_by("year").values("year")),
            requested_total=Coalesce(
                Subquery(
                    plans.order_by()
                    .values("application")
                    .annotate(total=Sum("requested_grant"))
                    .values("total")
                ),
                Value(ZERO),
            ),
        )
        .order_by(submitted, "number")
        .values(*QUEUE_FIELDS, *(NAME_FIELDS if names else ()), "years_applied", "requested_total")
    )


def queue_calls():
    """The calls to filter by, newest first, as (pk, title, first_year, last_year)."""
    return list(
        Call.objects.order_by("-first_year", "title").values_list(
            "pk", "title", "first_year", "last_year"
        )
    )


def comments_for(user, application):
    """The comments of an application the user may read: the state office all, the
    municipality's members only those written for them."""
    comments = Comment.objects.filter(application=application).select_related("author")
    if is_state_office(user):
        return comments.order_by("created_at", "pk")
    return comments.filter(visibility=CommentVisibility.MUNICIPALITY).order_by("created_at", "pk")
