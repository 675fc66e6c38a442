"""Reading offerings for the chain's pages, exports and the API: one filter for all of them, so
the matrix's links (?phase=…&feld=…&sozialraum=…) and the API's parameters mean the same."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone

from municipalities.models import Municipality, Sozialraum
from municipalities.permissions import roles_by_municipality
from prevention_chains.models import ACTIVE_OFFERING_STATUSES, Offering, OfferingLocation
from prevention_chains.permissions import is_state_office
from prevention_chains.services_offerings import stale_q

# The status filter's value for what the chain matrix counts: published or paused offerings.
RUNNING = "laufend"


@dataclass
class OfferingFilters:
    """What a list is narrowed to; empty values do not filter."""

    q: str = ""
    status: str = ""  # an OfferingStatus value or RUNNING
    phase: str = ""  # LifePhase slug
    field: str = ""  # FieldOfAction slug
    target_group: str = ""  # TargetGroup slug
    sozialraum: int | None = None
    stale: bool | None = None


def with_stale_flag(offerings):
    """`is_stale` on each row, computed by the database for today."""
    return offerings.annotate(
        is_stale=ExpressionWrapper(stale_q(timezone.localdate()), output_field=BooleanField())
    )


def _serves_area(sozialraum_id: int) -> Q:
    """Offerings for this Sozialraum as the chain matrix counts them (chain.Areas.served_ids):
    those naming it, its Stadtbezirk or one of its current Sozialräume, and those for the whole
    municipality it belongs to."""
    through = Offering.sozialraeume.through.objects.filter(offering_id=OuterRef("pk"))
    area = Sozialraum.objects.filter(pk=sozialraum_id)
    children = Sozialraum.objects.filter(parent_id=sozialraum_id).valid_on(timezone.localdate())
    served = Q(pk=sozialraum_id) | Q(pk__in=area.values("parent_id")) | Q(pk__in=children)
    names_served = through.filter(sozialraum__in=Sozialraum.objects.filter(served))
    own_area = area.filter(municipality_id=OuterRef("municipality"))
    return Q(Exists(names_served)) | (~Q(Exists(through)) & Q(Exists(own_area)))


def filter_offerings(offerings, filters: OfferingFilters):
    if filters.q.strip():
        query = SearchQuery(filters.q.strip(), config="german", search_type="websearch")
        offerings = offerings.filter(search_vector=query)
    if filters.status == RUNNING:
        offerings = offerings.filter(status__in=ACTIVE_OFFERING_STATUSES)
    elif filters.status:
        offerings = offerings.filter(status=filters.status)
    for relation, slug in (
        ("life_phases", filters.phase),
        ("fields_of_action", filters.field),
        ("target_groups", filters.target_group),
    ):
        if slug:
            through = getattr(Offering, relation).through.objects.filter(offering_id=OuterRef("pk"))
            term = relation_term_column(relation)
            offerings = offerings.filter(Exists(through.filter(**{f"{term}__slug": slug})))
    if filters.sozialraum is not None:
        offerings = offerings.filter(_serves_area(filters.sozialraum))
    if filters.stale is not None:
        stale = stale_q(timezone.localdate())
        offerings = offerings.filter(stale if filters.stale else ~stale)
    return offerings


def relation_term_column(relation: str) -> str:
    """The through model's column naming the term (lifephase, fieldofaction, targetgroup)."""
    return getattr(Offering, relation).field.m2m_reverse_field_name()


def chain_offerings(municipality: Municipality, filters: OfferingFilters):
    """A municipality's offerings for its list page and export, with what the rows show."""
    offerings = Offering.objects.filter(municipality=municipality)
    return (
        with_stale_flag(filter_offerings(offerings, filters))
        .select_related("provider")
        .prefetch_related("life_phases", "fields_of_action")
        .order_by("title", "pk")
    )


def readable_municipality_ids(user) -> set[int] | None:
    """Municipalities whose chain the user reads; None means all (the state office)."""
    if is_state_office(user):
        return None
    return set(roles_by_municipality(user))


def offerings_for(user):
    """Every offering the user may read (API lists), with all it shows, in a fixed order."""
    offerings = Offering.objects.all()
    ids = readable_municipality_ids(user)
    if ids is not None:
        offerings = offerings.filter(municipality_id__in=ids)
    return with_stale_flag(offerings).select_related("municipality", "provider", "import_key")


def full_offering_prefetches():
    """What the detail page, the API and the export show of an offering's relations."""
    return (
        "life_phases",
        "fields_of_action",
        "target_groups",
        "sozialraeume",
        Prefetch("locations", queryset=OfferingLocation.objects.order_by("name", "pk")),
    )
