"""Portal mail leaves through the worker, so a slow or unreachable SMTP server never holds up a
request; the worker retries while the server is down."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=12,
)
def send_portal_mail(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or None)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    sent = message.send()
    logger.info("Portal mail sent to %d recipient(s): %s", len(to), subject)
    return sent


def enqueue_mail(message: EmailMessage) -> None:
    """Send a rendered message from the worker once the surrounding transaction commits, so a
    rolled-back action never mails anyone."""
    html_body = None
    body = message.body
    if getattr(message, "content_subtype", "plain") == "html":
        html_body, body = message.body, ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html_body = content
    kwargs = {
        "subject": str(message.subject),
        "body": body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html_body": html_body,
        "headers": dict(message.extra_headers) or None,
    }
    transaction.on_commit(lambda: send_portal_mail.delay(**kwargs))
