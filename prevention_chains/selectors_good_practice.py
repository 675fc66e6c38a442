"""Reads of the good-practice library: the public library, a municipality's own entries, the
state office's queue and one entry as a given reader may see it.

Every list is one statement for its rows plus one per taxonomy (prefetched), whatever the
number of entries; adoption counts come from a subquery, not per row."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.roles import Role
from municipalities.models import Municipality
from municipalities.permissions import roles_by_municipality
from prevention_chains.models import (
    ACTIVE_OFFERING_STATUSES,
    Adoption,
    FieldOfAction,
    GoodPractice,
    GoodPracticeStatus,
    LifePhase,
    Offering,
    TargetGroup,
)
from prevention_chains.permissions import can_read_chain, is_state_office

SEARCH_CONFIG = "german"


@dataclass(frozen=True)
class LibraryFilters:
    """Slugs of the taxonomy terms and a free text; empty values filter nothing."""

    phase: str = ""
    field: str = ""
    target_group: str = ""
    text: str = ""


def adoption_count():
    """How many municipalities adopted the entry. Adoption rows stay when a draft is deleted,
    so the count stays true; a municipality adopting again after deleting its draft counts
    once."""
    counted = (
        Adoption.objects.filter(good_practice=OuterRef("pk"))
        .order_by()
        .values("good_practice")
        .annotate(total=Count("municipality", distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_listing(queryset: QuerySet) -> QuerySet:
    """Municipality (without its heavy boundary), terms and adoption count of each entry."""
    return (
        queryset.select_related("municipality")
        .defer("municipality__boundary")
        .prefetch_related(
            Prefetch("life_phases", queryset=LifePhase.objects.only("slug", "name", "position")),
            Prefetch(
                "fields_of_action", queryset=FieldOfAction.objects.only("slug", "name", "position")
            ),
            Prefetch(
                "target_groups", queryset=TargetGroup.objects.only("slug", "name", "position")
            ),
        )
        .annotate(adoption_count=adoption_count())
    )


def filtered(queryset: QuerySet, filters: LibraryFilters) -> QuerySet:
    if filters.phase:
        queryset = queryset.filter(life_phases__slug=filters.phase)
    if filters.field:
        queryset = queryset.filter(fields_of_action__slug=filters.field)
    if filters.target_group:
        queryset = queryset.filter(target_groups__slug=filters.target_group)
    text = filters.text.strip()
    if text:
        # German full text (stemming: „Familien“ finds „Familie“) plus a plain substring
        # match on the title, so a partly typed name still finds its entry.
        vector = SearchVector("title", "summary", "why_it_works", config=SEARCH_CONFIG)
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        queryset = queryset.annotate(search=vector).filter(
            Q(search=query) | Q(title__icontains=text)
        )
    return queryset


def library(filters: LibraryFilters) -> QuerySet:
    """The published entries, newest decision first."""
    published = GoodPractice.objects.filter(status=GoodPracticeStatus.PUBLISHED)
    return with_listing(filtered(published, filters)).order_by("-decided_at", "-pk")


def visible_to(user) -> QuerySet:
    """Published entries plus, for members and the state office, unpublished entries of the
    municipalities whose chain they read."""
    visible = Q(status=GoodPracticeStatus.PUBLISHED)
    if is_state_office(user):
        return GoodPractice.objects.all()
    own = list(roles_by_municipality(user))
    if own:
        visible |= Q(municipality_id__in=own)
    return GoodPractice.objects.filter(visible)


def entry_for(user, entry_id) -> GoodPractice:
    """One entry as the user may see it: a published one for everyone, an unpublished one for
    its municipality's members and the state office; 404 otherwise."""
    try:
        entry = with_listing(GoodPractice.objects.all()).get(pk=entry_id)
    except (GoodPractice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if entry.status != GoodPracticeStatus.PUBLISHED and not can_read_chain(
        user, entry.municipality_id
    ):
        raise Http404
    return entry


def entries_of(municipality: Municipality) -> QuerySet:
    return with_listing(GoodPractice.objects.filter(municipality=municipality)).order_by(
        "-proposed_at", "-pk"
    )


def review_queue() -> QuerySet:
    """Proposed entries, oldest proposal first (first come, first decided)."""
    proposed = GoodPractice.objects.filter(status=GoodPracticeStatus.PROPOSED)
    return with_listing(proposed).order_by("proposed_at", "pk")


def adopting_municipalities(entry: GoodPractice) -> list[Municipality]:
    ids = Adoption.objects.filter(good_practice=entry).values("municipality_id")
    return list(
        Municipality.objects.filter(pk__in=ids)
        .only("name", "short_name", "slug")
        .order_by("short_name")
    )


def member_municipalities(user) -> list[Municipality]:
    """The municipalities the user belongs to (links to their own entries)."""
    return _named(list(roles_by_municipality(user)))


def coordinated_municipalities(user, *, excluding: int | None = None) -> list[Municipality]:
    """The municipalities the user coordinates (where they may adopt good practice)."""
    return _named(
        [
            municipality_id
            for municipality_id, roles in roles_by_municipality(user).items()
            if Role.COORDINATOR in roles and municipality_id != excluding
        ]
    )


def _named(ids: list[int]) -> list[Municipality]:
    if not ids:
        return []
    return list(
        Municipality.objects.filter(pk__in=ids)
        .only("name", "short_name", "slug")
        .order_by("short_name")
    )


def proposable_offerings(municipality: Municipality) -> list[tuple[int, str]]:
    """(id, title) of the municipality's offerings that may be proposed now: published or
    paused, without a proposed or published entry."""
    open_entries = GoodPractice.objects.filter(
        status__in=(GoodPracticeStatus.PROPOSED, GoodPracticeStatus.PUBLISHED)
    ).values("offering_id")
    return list(
        Offering.objects.filter(municipality=municipality, status__in=ACTIVE_OFFERING_STATUSES)
        .exclude(pk__in=open_entries)
        .order_by("title", "pk")
        .values_list("pk", "title")
    )


def active_terms() -> dict[str, list]:
    """The active terms of each taxonomy, for filter and proposal forms."""
    return {
        "life_phases": list(LifePhase.objects.filter(is_active=True)),
        "fields_of_action": list(FieldOfAction.objects.filter(is_active=True)),
        "target_groups": list(TargetGroup.objects.filter(is_active=True)),
    }
