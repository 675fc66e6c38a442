"""Mittelabruf and Auszahlung (issue 3 §7): a coordinator asks for money needed within the
payment window, against the current, final decision; a reviewer confirms it is correct
(sachliche Richtigkeit), another person – an approver – orders the payment (four-eyes); the
payout task then pays it exactly once.

Every request of a year counts against that year's grant from the moment it is made, so that
requests open at the same time can never add up to more than was granted. The application row
is the lock that serialises them."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.models import (
    GRANTED_STATUSES,
    Application,
    Decision,
    Payment,
    PaymentRequest,
    PaymentStatus,
)
from funding.money import ZERO, cents, format_euro
from funding.permissions import can_apply, is_approver, is_reviewer
from funding.services.audit import attributed
from funding.services.errors import FundingError
from funding.services.notifications import APPROVERS, MUNICIPALITY, REVIEWERS, notify

# Requests that draw on a year's grant: open ones, ordered ones and paid ones.
DRAWING_STATUSES = (
    PaymentStatus.REQUESTED,
    PaymentStatus.CHECKED,
    PaymentStatus.APPROVED,
    PaymentStatus.PAID,
)
OPEN_STATUSES = (PaymentStatus.REQUESTED, PaymentStatus.CHECKED)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day where it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_decision(application) -> Decision | None:
    """The decision in force, if it grants money."""
    decision = application.decisions.filter(is_current=True).prefetch_related("years").first()
    return decision if decision is not None and decision.grants_money else None


def is_final(decision: Decision, today: date) -> bool:
    """Bestandskraft: the remedy period has passed, or the municipality waived its remedy."""
    return decision.remedy_waived_at is not None or (
        decision.final_on is not None and decision.final_on <= today
    )


def granted_for(decision: Decision, year: int) -> Decimal | None:
    for decision_year in decision.years.all():
        if decision_year.year == year:
            return decision_year.grant
    return None


def year_grant(decision: Decision, year: int) -> Decimal:
    """What the decision grants for the year – or a refusal naming the decision."""
    granted = granted_for(decision, year)
    if not granted:
        raise FundingError(
            _("Der Bescheid %(reference)s bewilligt für %(year)s keine Mittel.")
            % {"reference": decision.file_reference, "year": year},
            code="year_not_granted",
        )
    return granted


def drawn(application, year: int, *, exclude=None) -> Decimal:
    """What the year's requests draw on its grant (open, ordered and paid)."""
    requests = PaymentRequest.objects.filter(
        application=application, year=year, status__in=DRAWING_STATUSES
    )
    if exclude is not None:
        requests = requests.exclude(pk=exclude.pk)
    return requests.aggregate(total=Sum("amount"))["total"] or ZERO


def year_period(decision: Decision, year: int) -> tuple[date, date]:
    """The part of the grant year inside the decision's Bewilligungszeitraum."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if decision.period_start is not None:
        start = max(start, decision.period_start)
    if decision.period_end is not None:
        end = min(end, decision.period_end)
    return start, end


def _notify(event: str, payment_request, audience: str, actor=None, **context):
    """Mail about a request, linking its application's payments page."""
    application = payment_request.application
    url = settings.PORTAL_BASE_URL + reverse("funding:application_payments", args=[application.pk])
    notify(
        event=event,
        application=application,
        audience=audience,
        actor=actor,
        context={"payment_request": payment_request, "url": url, **context},
    )


def positive_amount(amount: Decimal) -> Decimal:
    amount = cents(amount)
    if amount <= ZERO:
        raise FundingError(_("Bitte geben Sie einen Betrag über 0 € an."), code="amount")
    return amount


def lock_application(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "municipality")
        .get(pk=application.pk)
    )


def _granting_decision(application, year: int, today: date) -> tuple[Decision, Decimal]:
    """The final decision in force and what it grants for the year – or why money cannot be
    requested."""
    decision = current_decision(application) if application.status in GRANTED_STATUSES else None
    if decision is None:
        raise FundingError(
            _("Für den Antrag %(number)s gibt es keinen Bewilligungsbescheid, der Mittel gewährt.")
            % {"number": application.number},
            code="no_decision",
        )
    granted = year_grant(decision, year)
    if not is_final(decision, today):
        raise FundingError(
            _(
                "Der Bescheid %(reference)s ist noch nicht bestandskräftig (ab %(final_on)s). "
                "Mittel können Sie danach abrufen – oder sofort, wenn Sie den Verzicht auf "
                "Rechtsbehelfe erklären."
            )
            % {
                "reference": decision.file_reference,
                "final_on": decision.final_on.strftime("%d.%m.%Y") if decision.final_on else "–",
            },
            code="not_final",
        )
    return decision, granted


def _refuse_overdraw(application, year: int, granted: Decimal, amount: Decimal, exclude=None):
    remaining = granted - drawn(application, year, exclude=exclude)
    if amount > remaining:
        raise FundingError(
            _(
                "Für %(year)s sind %(granted)s bewilligt; abrufbar sind noch %(remaining)s. "
                "Bitte verringern Sie den Betrag auf höchstens %(remaining)s."
            )
            % {
                "year": year,
                "granted": format_euro(granted),
                "remaining": format_euro(max(remaining, ZERO)),
            },
            code="overdraw",
        )


def _check_needed_on(*, decision, year: int, needed_on: date, today: date):
    months = decision.payment_window_months
    latest = add_months(today, months)
    if not today <= needed_on <= latest:
        raise FundingError(
            _(
                "Mittel dürfen nur für Ausgaben abgerufen werden, die innerhalb von %(months)s "
                "Monaten fällig werden: Bitte wählen Sie ein Datum vom %(today)s bis zum "
                "%(latest)s."
            )
            % {
                "months": months,
                "today": today.strftime("%d.%m.%Y"),
                "latest": latest.strftime("%d.%m.%Y"),
            },
            code="outside_window",
        )
    start, end = year_period(decision, year)
    if not start <= needed_on <= end:
        raise FundingError(
            _(
                "Der Bedarf muss im Förderjahr %(year)s liegen, also zwischen dem %(start)s und "
                "dem %(end)s."
            )
            % {"year": year, "start": start.strftime("%d.%m.%Y"), "end": end.strftime("%d.%m.%Y")},
            code="outside_year",
        )


@transaction.atomic
def request_payment(
    *,
    application: Application,
    year: int,
    amount: Decimal,
    needed_on: date,
    purpose: str,
    actor,
) -> PaymentRequest:
    """A coordinator of the municipality asks for money of a granted year."""
    if not can_apply(actor, application.municipality_id):
        raise PermissionDenied
    amount = positive_amount(amount)
    if not purpose.strip():
        raise FundingError(_("Bitte geben Sie an, wofür die Mittel benötigt werden."))
    today = timezone.localdate()
    application = lock_application(application)
    decision, granted = _granting_decision(application, year, today)
    _check_needed_on(decision=decision, year=year, needed_on=needed_on, today=today)
    _refuse_overdraw(application, year, granted, amount)
    with attributed(actor=actor, action="payment_requested"):
        payment_request = PaymentRequest.objects.create(
            application=application,
            year=year,
            amount=amount,
            needed_on=needed_on,
            purpose=purpose.strip(),
            requested_by=actor,
        )
    _notify("payment_requested", payment_request, REVIEWERS, actor)
    return payment_request


def _lock_request(payment_request) -> PaymentRequest:
    return (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("application__municipality", "application__call__programme")
        .get(pk=payment_request.pk)
    )


def _refuse_unless(payment_request, *statuses):
    if payment_request.status not in statuses:
        raise FundingError(
            _("Der Mittelabruf ist bereits „%(status)s“; bitte laden Sie die Seite neu.")
            % {"status": payment_request.get_status_display()},
            code="status",
        )


@transaction.atomic
def check_payment(*, payment_request: PaymentRequest, actor) -> PaymentRequest:
    """A reviewer confirms the request is correct (sachliche Richtigkeit)."""
    if not is_reviewer(actor):
        raise PermissionDenied
    payment_request = _lock_request(payment_request)
    _refuse_unless(payment_request, PaymentStatus.REQUESTED)
    payment_request.status = PaymentStatus.CHECKED
    payment_request.checked_by = actor
    payment_request.checked_at = timezone.now()
    with attributed(actor=actor, action="payment_checked"):
        payment_request.save(update_fields=["status", "checked_by", "checked_at"])
    _notify("payment_checked", payment_request, APPROVERS, actor)
    return payment_request


@transaction.atomic
def approve_payment(*, payment_request: PaymentRequest, actor) -> PaymentRequest:
    """An approver – never the person who checked it – orders the payment (Anordnung); the
    payout runs once the order is committed."""
    if not is_approver(actor):
        raise PermissionDenied
    application = lock_application(payment_request.application)
    payment_request = _lock_request(payment_request)
    _refuse_unless(payment_request, PaymentStatus.CHECKED)
    if payment_request.checked_by_id == actor.pk:
        raise FundingError(
            _(
                "Sie haben diesen Mittelabruf selbst als sachlich richtig bestätigt. Die "
                "Zahlung muss eine andere Person anordnen (Vier-Augen-Prinzip)."
            ),
            code="four_eyes",
        )
    # An Änderungsbescheid may have lowered the grant since the request was made.
    _decision, granted = _granting_decision(application, payment_request.year, timezone.localdate())
    _refuse_overdraw(
        application, payment_request.year, granted, payment_request.amount, exclude=payment_request
    )
    payment_request.status = PaymentStatus.APPROVED
    payment_request.approved_by = actor
    payment_request.approved_at = timezone.now()
    with attributed(actor=actor, action="payment_approved"):
        payment_request.save(update_fields=["status", "approved_by", "approved_at"])
    # The task imports this module; importing it here keeps the import one-way at load time.
    from funding.tasks_payments import payout_task

    request_id = payment_request.pk
    transaction.on_commit(lambda: payout_task.delay(request_id))
    return payment_request


@transaction.atomic
def reject_payment(*, payment_request: PaymentRequest, actor, reason: str) -> PaymentRequest:
    """The state office refuses an open request; its amount is free to be requested again."""
    if not (is_reviewer(actor) or is_approver(actor)):
        raise PermissionDenied
    if not reason.strip():
        raise FundingError(_("Bitte begründen Sie die Ablehnung."), code="reason")
    payment_request = _lock_request(payment_request)
    _refuse_unless(payment_request, *OPEN_STATUSES)
    payment_request.status = PaymentStatus.REJECTED
    payment_request.rejection_reason = reason.strip()
    with attributed(actor=actor, action="payment_rejected", reason=reason.strip()):
        payment_request.save(update_fields=["status", "rejection_reason"])
    _notify("payment_rejected", payment_request, MUNICIPALITY, actor)
    return payment_request


def booking_reference(payment_request: PaymentRequest) -> str:
    return f"KKZ-{payment_request.year}-{payment_request.pk:08d}"


def _pay(payment_request: PaymentRequest) -> tuple[Payment, bool]:
    """The request's payment, and whether it was made just now."""
    existing = Payment.objects.filter(request=payment_request).first()
    if existing is not None:
        return existing, False
    _refuse_unless(payment_request, PaymentStatus.APPROVED)
    try:
        # A savepoint: should another worker have paid in between, the unique request key
        # refuses the second payment and this one reads the first.
        with transaction.atomic():
            payment = Payment.objects.create(
                request=payment_request,
                amount=payment_request.amount,
                paid_on=timezone.localdate(),
                booking_reference=booking_reference(payment_request),
            )
    except IntegrityError:
        return Payment.objects.get(request=payment_request), False
    payment_request.status = PaymentStatus.PAID
    payment_request.save(update_fields=["status"])
    return payment, True


@transaction.atomic
def execute_payout(*, payment_request_id: int) -> Payment:
    """Pay an ordered request – once, however often this runs."""
    payment_request = (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("application__municipality", "approved_by")
        .get(pk=payment_request_id)
    )
    with attributed(actor=payment_request.approved_by, action="payout"):
        payment, created = _pay(payment_request)
    if created:
        _notify("payment_paid", payment_request, MUNICIPALITY, payment=payment)
    return payment


@dataclass(frozen=True)
class YearSummary:
    """One granted year on the payments page: what was granted, requested, ordered, paid."""

    year: int
    granted: Decimal
    requested: Decimal
    approved: Decimal
    paid: Decimal
    forwarded: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.granted - self.requested - self.approved - self.paid


def year_summaries(application, decision: Decision | None) -> list[YearSummary]:
    """Per granted year of the decision in force; two queries whatever the number of requests."""
    if decision is None:
        return []
    sums: dict[tuple[int, str], Decimal] = {
        (row["year"], row["status"]): row["total"]
        for row in PaymentRequest.objects.filter(application=application)
        .values("year", "status")
        .annotate(total=Sum("amount"))
    }
    forwarded = dict(application.forwardings.values_list("year").annotate(total=Sum("amount")))
    return [
        YearSummary(
            year=decision_year.year,
            granted=decision_year.grant,
            requested=sums.get((decision_year.year, PaymentStatus.REQUESTED), ZERO)
            + sums.get((decision_year.year, PaymentStatus.CHECKED), ZERO),
            approved=sums.get((decision_year.year, PaymentStatus.APPROVED), ZERO),
            paid=sums.get((decision_year.year, PaymentStatus.PAID), ZERO),
            forwarded=forwarded.get(decision_year.year, ZERO),
        )
        for decision_year in decision.years.all()
    ]
