"""Read queries of the public offering finder (issue 5 §7): only published offerings, no login.

Every list is built with a fixed number of queries (select_related for the one-to-one parts,
prefetch_related for phases and locations), so a page of 10 costs the same as a page of 100.
The HSDS export (prevention_chains.hsds) reads the same published offerings.
"""

import math
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality, Sozialraum
from prevention_chains.models import LifePhase, Offering, OfferingLocation, OfferingStatus
from prevention_chains.services_offerings import LANGUAGES

# The longest free text the finder searches for; longer input is a paste accident.
MAX_QUERY_LENGTH = 200


def language_name(code: str) -> str:
    """The German name of an ISO 639 code; an unknown code is shown as it is."""
    return str(LANGUAGES.get(code, code))


def age_band(age_from: int | None, age_to: int | None) -> str:
    """The age band [age_from, age_to) in whole years, as families read it. Written here, not
    in a template included once per result: the list renders it twenty times."""
    if age_from is not None and age_to is not None:
        return _("%(start)s bis unter %(end)s Jahre") % {"start": age_from, "end": age_to}
    if age_from is not None:
        return _("ab %(start)s Jahren") % {"start": age_from}
    if age_to is not None:
        return _("unter %(end)s Jahren") % {"end": age_to}
    return _("jedes Alter")


def describe(offering: Offering) -> Offering:
    """Adds what the finder's pages show in words: `age_text` and `language_names`."""
    offering.age_text = age_band(offering.age_from, offering.age_to)
    offering.language_names = [language_name(code) for code in offering.languages]
    return offering


@dataclass(frozen=True)
class FinderFilter:
    age: int | None = None
    municipality_id: int | None = None
    sozialraum_id: int | None = None
    life_phase_id: int | None = None
    free_only: bool = False
    language: str = ""
    query: str = ""

    @property
    def is_empty(self) -> bool:
        return self == FinderFilter()


def published_offerings() -> QuerySet[Offering]:
    return Offering.objects.filter(status=OfferingStatus.PUBLISHED)


def search_query(text: str) -> SearchQuery:
    """Free text as families type it: words, "phrases", -exclusions, OR (websearch syntax),
    stemmed with the German configuration like the stored search vector."""
    return SearchQuery(text, config="german", search_type="websearch")


def _serves_sozialraum(sozialraum_id: int) -> Q:
    """Offerings for the Sozialraum, and offerings without Sozialräume (the whole
    municipality)."""
    through = Offering.sozialraeume.through.objects
    named = Exists(through.filter(offering_id=OuterRef("pk"), sozialraum_id=sozialraum_id))
    any_named = Exists(through.filter(offering_id=OuterRef("pk")))
    return Q(named) | ~Q(any_named)


def filter_offerings(offerings: QuerySet[Offering], filters: FinderFilter) -> QuerySet[Offering]:
    """The offerings matching every filter; ranked by relevance when there is free text."""
    if filters.age is not None:
        offerings = offerings.filter(
            Q(age_from__isnull=True) | Q(age_from__lte=filters.age),
            Q(age_to__isnull=True) | Q(age_to__gt=filters.age),
        )
    if filters.municipality_id is not None:
        offerings = offerings.filter(municipality_id=filters.municipality_id)
        if filters.sozialraum_id is not None:
            offerings = offerings.filter(_serves_sozialraum(filters.sozialraum_id))
    if filters.life_phase_id is not None:
        offerings = offerings.filter(
            Exists(
                Offering.life_phases.through.objects.filter(
                    offering_id=OuterRef("pk"), lifephase_id=filters.life_phase_id
                )
            )
        )
    if filters.free_only:
        offerings = offerings.filter(is_free=True)
    if filters.language:
        offerings = offerings.filter(languages__contains=[filters.language])
    if filters.query:
        query = search_query(filters.query)
        return offerings.filter(search_vector=query).order_by(
            -SearchRank(F("search_vector"), query), "title", "pk"
        )
    return offerings.order_by("title", "pk")


# What a result in the list shows. Loading whole rows cost more than the rest of the page: the
# municipality's row carries its boundary (GeoJSON), decoded once per result.
RESULT_FIELDS = (
    "title",
    "description",
    "age_from",
    "age_to",
    "is_free",
    "cost_note",
    "languages",
    "municipality__short_name",
    "provider__name",
)


def _with_what_a_result_shows(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return (
        offerings.select_related("municipality", "provider")
        .only(*RESULT_FIELDS)
        .prefetch_related(
            Prefetch("life_phases", queryset=LifePhase.objects.order_by("position", "name")),
            Prefetch("locations", queryset=OfferingLocation.objects.order_by("name", "pk")),
        )
    )


def _page_number(raw) -> int:
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


def finder_page(filters: FinderFilter, raw_number, per_page: int) -> Page:
    """One page of the finder's list (like Paginator.get_page: a bad number is page 1, one past
    the end the last page), with what a result shows: four statements whatever the filters
    (two more only for a text search's page number past the end).

    With free text PostgreSQL ranks and sorts every match anyway, so one narrow statement
    returns the page's keys with the count of all matches (COUNT(*) OVER ()), and a second
    loads those rows. Joining municipality and provider before the sort, as one statement
    would, made the sort of ≈ 6,500 wide rows cost more than the rest of the search. Without
    text a separate count stays cheaper: the page then comes from an index in title order,
    without touching every match."""
    matching = filter_offerings(published_offerings(), filters)
    number = _page_number(raw_number)
    if not filters.query:
        paginator = Paginator(_with_what_a_result_shows(matching), per_page)
        return paginator.get_page(number)
    keys = matching.annotate(total=Window(Count("pk"))).values_list("pk", "total")
    page_keys = list(keys[(number - 1) * per_page : number * per_page])
    if page_keys:
        total = page_keys[0][1]
    else:
        total = matching.count()
        number = max(math.ceil(total / per_page), 1)
        page_keys = list(keys[(number - 1) * per_page : number * per_page]) if total else []
    rows = _with_what_a_result_shows(Offering.objects.filter(pk__in=[pk for pk, _ in page_keys]))
    by_pk = {offering.pk: offering for offering in rows}
    paginator = Paginator([], per_page)
    paginator.count = total  # a cached property: the count the first statement brought
    return Page([by_pk[pk] for pk, _ in page_keys], number, paginator)


def finder_offering(offering_id) -> Offering:
    """One published offering with everything the detail page shows; 404 for any other."""
    try:
        return (
            published_offerings()
            .select_related("municipality", "provider")
            .defer("search_vector", "municipality__boundary")
            .prefetch_related(
                Prefetch("life_phases", queryset=LifePhase.objects.order_by("position", "name")),
                "fields_of_action",
                "target_groups",
                Prefetch("sozialraeume", queryset=Sozialraum.objects.order_by("code")),
                Prefetch("locations", queryset=OfferingLocation.objects.order_by("name", "pk")),
            )
            .get(pk=offering_id)
        )
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def municipalities_with_offerings() -> list[tuple[int, str]]:
    """Municipalities that have at least one published offering, for the finder's choice."""
    return list(
        Municipality.objects.filter(
            Exists(published_offerings().filter(municipality_id=OuterRef("pk")))
        )
        .order_by("short_name", "ags")
        .values_list("pk", "short_name")
    )


def sozialraeume_of(municipality_id: int) -> list[tuple[int, str]]:
    """The municipality's Sozialräume valid today."""
    return list(
        Sozialraum.objects.valid_on(timezone.localdate())
        .filter(municipality_id=municipality_id)
        .order_by("code", "name")
        .values_list("pk", "name")
    )


def life_phase_choices() -> list[tuple[int, str]]:
    return list(
        LifePhase.objects.filter(is_active=True)
        .order_by("position", "name")
        .values_list("pk", "name")
    )
