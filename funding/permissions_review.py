"""Who reaches the review stage: its pages and endpoints exist only for the state office (404
for everyone else, as for missing applications); comments are written by the state office and
the municipality's coordinators."""

from django.http import Http404

from funding.models import Application
from funding.permissions import access_application, can_apply, is_state_office


def access_for_review(user, application_id) -> Application:
    """An application on the review pages: state office only."""
    if not is_state_office(user):
        raise Http404
    return access_application(user, application_id)


def can_comment(user, application: Application) -> bool:
    return is_state_office(user) or can_apply(user, application.municipality_id)
