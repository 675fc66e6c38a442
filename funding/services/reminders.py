"""Reminders of the beat job (issue 3 §10): closing application windows, due and overdue proofs
of use, payment requests left waiting.

Each reminder goes out once per object and occasion: a ReminderLog row with a unique
(kind, object_key) is written in the same transaction that queues the mail, so the job may run
every few hours, twice at once or after a crash without anyone getting a reminder twice.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from accounts.tasks import enqueue_mail
from funding.models import (
    DECIDED_STATUSES,
    OPEN_REVIEW_STATUSES,
    Application,
    Call,
    PaymentRequest,
    PaymentStatus,
    ReminderLog,
)
from funding.selectors_proofs import overdue_proofs, proofs_due_within
from funding.services.notifications import APPROVERS, MUNICIPALITY, REVIEWERS, notify, recipients
from municipalities.models import Participation

CALL_CLOSING_DAYS = 7
PROOF_DUE_DAYS = 30
PAYMENT_WAITING_DAYS = 3
# An application in these states counts as handed in: its municipality needs no reminder.
HANDED_IN_STATUSES = (*OPEN_REVIEW_STATUSES, *DECIDED_STATUSES)


Counts = dict[str, int]


def send_reminders(today: date) -> Counts:
    """Send every reminder that is due on `today` and was not sent before; returns how many
    reminders of each kind went out."""
    sent: Counts = defaultdict(int)
    _remind_closing_calls(sent, today)
    _remind_proofs(sent, today)
    _remind_waiting_payments(sent, today)
    return dict(sent)


def _once(sent: Counts, kind: str, object_key: str, send) -> None:
    """Run `send` (which queues mail and returns the number of recipients) unless this reminder
    went out before. Mail leaves on commit, so a failed run leaves no log and no mail."""
    with transaction.atomic():
        log, created = ReminderLog.objects.get_or_create(kind=kind, object_key=object_key)
        if not created:
            return
        log.recipients = send()
        log.save(update_fields=["recipients"])
    sent[kind] += 1


def _already_sent(kind: str) -> set[str]:
    return set(ReminderLog.objects.filter(kind=kind).values_list("object_key", flat=True))


def _remind_closing_calls(sent: Counts, today: date) -> None:
    """Coordinators of participating municipalities that have not handed in an application
    in a call whose window closes within a week."""
    kind = f"call-closing-{CALL_CLOSING_DAYS}"
    calls = Call.objects.filter(
        opens_on__lte=today,
        closes_on__gte=today,
        closes_on__lte=today + timedelta(days=CALL_CLOSING_DAYS),
    ).select_related("programme")
    done = _already_sent(kind)
    url = settings.PORTAL_BASE_URL + reverse("funding:application_list")
    for call in calls:
        handed_in = Application.objects.filter(call=call, status__in=HANDED_IN_STATUSES).values(
            "municipality_id"
        )
        participants = (
            Participation.objects.active_on(today)
            .filter(programme_id=call.programme_id)
            .exclude(municipality_id__in=handed_in)
            .select_related("municipality")
        )
        municipalities = [
            p.municipality for p in participants if f"{call.pk}:{p.municipality_id}" not in done
        ]
        addresses = _coordinator_addresses([m.pk for m in municipalities])
        for municipality in municipalities:
            to = addresses.get(municipality.pk, [])
            if not to:
                continue
            mail = partial(
                _mail, "reminder_call_closing", to, call=call, municipality=municipality, url=url
            )
            _once(sent, kind, f"{call.pk}:{municipality.pk}", mail)


def _coordinator_addresses(municipality_ids) -> dict[int, list[str]]:
    addresses = defaultdict(list)
    for municipality_id, email in (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.COORDINATOR,
            memberships__municipality_id__in=municipality_ids,
        )
        .order_by("email")
        .values_list("memberships__municipality_id", "email")
    ):
        addresses[municipality_id].append(email)
    return addresses


def _mail(template: str, to: list[str], **context) -> int:
    """A reminder that concerns no single application (see notifications.notify for those)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"funding/mail/{template}.txt", context)
    subject, _newline, body = text.strip().partition("\n")
    enqueue_mail(EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to))
    return len(to)


def _notify_once(sent, kind, object_key, *, event, application, audience, exclude=None, **context):
    def send():
        notify(
            event=event, application=application, audience=audience, actor=exclude, context=context
        )
        return len(recipients(application, audience, exclude=exclude))

    _once(sent, kind, object_key, send)


def _remind_proofs(sent: Counts, today: date) -> None:
    """The municipality, once a month before a proof of use falls due and once when it is
    overdue."""
    due = proofs_due_within(PROOF_DUE_DAYS, today)
    occasions = (
        (f"proof-due-{PROOF_DUE_DAYS}", "reminder_proof_due", due),
        ("proof-overdue", "reminder_proof_overdue", overdue_proofs(today)),
    )
    done = {kind: _already_sent(kind) for kind, _event, _rows in occasions}
    pending = [
        (kind, event, row)
        for kind, event, rows in occasions
        for row in rows
        if f"{row.application_id}:{row.year}" not in done[kind]
    ]
    applications = Application.objects.select_related("municipality").in_bulk(
        {row.application_id for _kind, _event, row in pending}
    )
    for kind, event, row in pending:
        _notify_once(
            sent,
            kind,
            f"{row.application_id}:{row.year}",
            event=event,
            application=applications[row.application_id],
            audience=MUNICIPALITY,
            proof=row,
        )


def _remind_waiting_payments(sent: Counts, today: date) -> None:
    """Reviewers of requests not checked, approvers of requests not ordered, after three days."""
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=PAYMENT_WAITING_DAYS), time.min)
    )
    check, approval = (f"payment-{step}-{PAYMENT_WAITING_DAYS}" for step in ("check", "approval"))
    done = {check: _already_sent(check), approval: _already_sent(approval)}
    waiting = PaymentRequest.objects.select_related(
        "application__municipality", "checked_by"
    ).filter(
        Q(status=PaymentStatus.REQUESTED, requested_at__lt=cutoff)
        | Q(status=PaymentStatus.CHECKED, checked_at__lt=cutoff)
    )
    for payment_request in waiting:
        checked = payment_request.status == PaymentStatus.CHECKED
        kind = approval if checked else check
        if str(payment_request.pk) in done[kind]:
            continue
        _notify_once(
            sent,
            kind,
            str(payment_request.pk),
            event="reminder_payment_approval" if checked else "reminder_payment_check",
            application=payment_request.application,
            audience=APPROVERS if checked else REVIEWERS,
            # Who checked a request may not order it (four-eyes): no reminder for them.
            exclude=payment_request.checked_by if checked else None,
            payment_request=payment_request,
            waiting_since=payment_request.checked_at if checked else payment_request.requested_at,
        )
