"""Mail to the people a funding transition concerns (issue 3 §10).

Each event has one template, templates/funding/mail/<event>.txt: its first line is the subject,
the rest the body. Mail leaves through the worker after the transaction commits, so a refused or
rolled-back action never mails anyone; the actor is never told about their own action."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from accounts.tasks import enqueue_mail

MUNICIPALITY = "municipality"
REVIEWERS = "reviewers"
APPROVERS = "approvers"


def recipients(application, audience: str, *, exclude=None) -> list[str]:
    if audience == MUNICIPALITY:
        users = User.objects.filter(
            memberships__municipality_id=application.municipality_id,
            memberships__role=Role.COORDINATOR,
        )
    elif audience == REVIEWERS and application.reviewer_id:
        users = User.objects.filter(pk=application.reviewer_id)
    elif audience == REVIEWERS:
        users = User.objects.filter(state_roles__role=Role.STATE_REVIEWER)
    elif audience == APPROVERS:
        users = User.objects.filter(state_roles__role=Role.STATE_APPROVER)
    else:
        raise ValueError(f"Unbekannter Empfängerkreis {audience!r}")
    users = users.filter(is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    addresses = set(users.values_list("email", flat=True))
    if audience == MUNICIPALITY and application.contact_email:
        addresses.add(application.contact_email)
    return sorted(addresses)


def notify(*, event: str, application, audience: str, actor=None, context: dict | None = None):
    """Queue the mail for `event` to `audience` (MUNICIPALITY, REVIEWERS or APPROVERS)."""
    to = recipients(application, audience, exclude=actor)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"funding/mail/{event}.txt",
            {
                "application": application,
                "actor": actor,
                "url": settings.PORTAL_BASE_URL
                + reverse("funding:application_detail", args=[application.pk]),
                **(context or {}),
            },
        )
    subject, _newline, body = text.strip().partition("\n")
    enqueue_mail(EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to))
