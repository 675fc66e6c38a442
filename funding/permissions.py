"""The only way to fetch funding objects for a user (DESIGN.md §3); 404 for missing and
forbidden alike.

Who sees what:
- A municipality's members (coordinator, viewer, Kommunale Begleitung) read its applications,
  decisions, payments and proofs; only its coordinators change them (apply, request payments,
  report). Internal review comments and the review checklist stay with the state office.
- The state office (reviewer, approver, programme administration) reads everything; reviewers
  review, approvers decide and order payments, the administration keeps rules, calls, budgets.
- Evaluation (researcher) and outsiders see nothing of funding.
"""

from django.http import Http404

from accounts.roles import STATE_OFFICE_ROLES, Role
from funding.models import Application, Forwarding, PaymentRequest, ProofOfUse
from municipalities.permissions import roles_by_municipality


def is_state_office(user) -> bool:
    return user.is_authenticated and user.has_programme_role(*STATE_OFFICE_ROLES)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_programme_role(Role.STATE_REVIEWER)


def is_approver(user) -> bool:
    return user.is_authenticated and user.has_programme_role(Role.STATE_APPROVER)


def is_funding_admin(user) -> bool:
    return user.is_authenticated and user.has_programme_role(Role.STATE_ADMIN)


def can_read_funding(user, municipality_id: int) -> bool:
    return bool(roles_by_municipality(user).get(municipality_id)) or is_state_office(user)


def can_apply(user, municipality_id: int) -> bool:
    """Apply, request payments, report proofs of use: the municipality's coordinators."""
    return Role.COORDINATOR in roles_by_municipality(user).get(municipality_id, frozenset())


def readable_municipality_ids(user) -> set[int] | None:
    """The municipalities whose funding the user reads; None means all (state office)."""
    if is_state_office(user):
        return None
    return set(roles_by_municipality(user))


def applications_for(user):
    """Applications the user may read, for lists."""
    queryset = Application.objects.all()
    ids = readable_municipality_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(municipality_id__in=ids)


def _access(queryset, object_id, municipality_id_of, user, write: bool):
    try:
        obj = queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    municipality_id = municipality_id_of(obj)
    allowed = can_apply(user, municipality_id) if write else can_read_funding(user, municipality_id)
    if not allowed:
        raise Http404
    return obj


def access_application(user, application_id, write=False) -> Application:
    """An application for reading (members, state office) or for the municipality's own changes
    (coordinators). Whether the application's state allows the change is the service's rule."""
    return _access(
        Application.objects.select_related("call__programme", "municipality", "reviewer"),
        application_id,
        lambda application: application.municipality_id,
        user,
        write,
    )


def access_payment_request(user, request_id, write=False) -> PaymentRequest:
    return _access(
        PaymentRequest.objects.select_related(
            "application__municipality", "application__call__programme"
        ),
        request_id,
        lambda payment_request: payment_request.application.municipality_id,
        user,
        write,
    )


def access_proof(user, proof_id, write=False) -> ProofOfUse:
    return _access(
        ProofOfUse.objects.select_related(
            "application__municipality", "application__call__programme"
        ),
        proof_id,
        lambda proof: proof.application.municipality_id,
        user,
        write,
    )


def access_forwarding(user, forwarding_id, write=False) -> Forwarding:
    return _access(
        Forwarding.objects.select_related(
            "application__municipality", "application__call__programme"
        ),
        forwarding_id,
        lambda forwarding: forwarding.application.municipality_id,
        user,
        write,
    )
