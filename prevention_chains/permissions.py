"""The only way to fetch a municipality's Leitbild and chain objects for a user (DESIGN.md §3);
404 for missing and forbidden alike.

Reading a municipality's chain (drafts, actors, networks, the matrix, Leitbild drafts): its
members (coordinator, viewer, Kommunale Begleitung) and the state office. Writing: its
coordinators and the programme administration. Published offerings and published good
practice are public and read through their own selectors, not through these helpers.
"""

from django.http import Http404

from accounts.roles import STATE_OFFICE_ROLES, Role
from municipalities.models import Municipality
from municipalities.permissions import can_read_internal, can_write, roles_by_municipality
from prevention_chains.models import (
    Actor,
    ChainDocument,
    CooperationLink,
    GoalIndicator,
    GoodPractice,
    Leitbild,
    LeitbildGoal,
    Network,
    Offering,
    OfferingImport,
)


def can_read_chain(user, municipality_id: int) -> bool:
    return can_read_internal(user, municipality_id)


def can_write_chain(user, municipality_id: int) -> bool:
    return can_write(user, municipality_id)


def is_state_office(user) -> bool:
    return user.is_authenticated and user.has_programme_role(*STATE_OFFICE_ROLES)


def can_maintain_taxonomies(user) -> bool:
    return user.is_authenticated and user.has_programme_role(Role.STATE_ADMIN)


def can_decide_good_practice(user) -> bool:
    """Publishing good practice is the state office's editorial decision."""
    return is_state_office(user)


def _allowed(user, municipality_id: int, write: bool) -> bool:
    if write:
        return can_write_chain(user, municipality_id)
    return can_read_chain(user, municipality_id)


def access_chain(user, slug, write=False) -> Municipality:
    """The municipality whose Leitbild or chain is asked for, by its slug."""
    try:
        municipality = Municipality.objects.select_related("parent").get(slug=slug)
    except (Municipality.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not _allowed(user, municipality.pk, write):
        raise Http404
    return municipality


def _access(queryset, user, object_id, write):
    try:
        obj = queryset.select_related("municipality").get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not _allowed(user, obj.municipality_id, write):
        raise Http404
    return obj


def access_leitbild(user, leitbild_id, write=False) -> Leitbild:
    return _access(Leitbild.objects.all(), user, leitbild_id, write)


def access_actor(user, actor_id, write=False) -> Actor:
    return _access(Actor.objects.select_related("actor_type"), user, actor_id, write)


def access_network(user, network_id, write=False) -> Network:
    return _access(Network.objects.all(), user, network_id, write)


def access_cooperation_link(user, link_id, write=False) -> CooperationLink:
    return _access(CooperationLink.objects.all(), user, link_id, write)


def access_offering(user, offering_id, write=False) -> Offering:
    return _access(Offering.objects.select_related("provider"), user, offering_id, write)


def access_offering_import(user, batch_id, write=False) -> OfferingImport:
    return _access(OfferingImport.objects.all(), user, batch_id, write)


def access_good_practice_entry(user, entry_id, write=False) -> GoodPractice:
    """A good-practice entry as its own municipality sees it (proposed, rejected, withdrawn
    entries included). The public library reads published entries through its selector."""
    return _access(GoodPractice.objects.all(), user, entry_id, write)


def access_goal(user, goal_id, write=False) -> LeitbildGoal:
    try:
        goal = LeitbildGoal.objects.get(pk=goal_id)
    except (LeitbildGoal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    goal.leitbild = access_leitbild(user, goal.leitbild_id, write=write)
    return goal


def access_goal_indicator(user, goal_indicator_id, write=False) -> GoalIndicator:
    try:
        measure = GoalIndicator.objects.select_related("goal", "indicator", "sozialraum").get(
            pk=goal_indicator_id
        )
    except (GoalIndicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    measure.goal.leitbild = access_leitbild(user, measure.goal.leitbild_id, write=write)
    return measure


def is_member(user, municipality_id: int) -> bool:
    return bool(roles_by_municipality(user).get(municipality_id))


def access_document(user, document_id) -> ChainDocument:
    """A PDF document for a reader of its municipality: its members see all of them, the state
    office those it requested (prevention_chains.documents); 404 for missing and forbidden."""
    try:
        document = ChainDocument.objects.select_related(
            "municipality", "leitbild", "requested_by"
        ).get(pk=document_id)
    except (ChainDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    own_request = document.requested_by_id == user.pk
    if not can_read_chain(user, document.municipality_id) or not (
        own_request or is_member(user, document.municipality_id)
    ):
        raise Http404
    return document
