"""Pages of Mittelabruf and Weiterleitung. Thin: fetch through funding.permissions, call a
service, render; a refused action becomes a message on the page and the form keeps the input."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funding import sections
from funding.forms_payments import (
    ForwardingForm,
    PaymentRequestForm,
    QueueFilterForm,
    RejectForm,
)
from funding.models import PaymentRequest, PaymentStatus
from funding.money import format_euro
from funding.permissions import (
    access_application,
    access_forwarding,
    access_payment_request,
    can_apply,
    is_approver,
    is_reviewer,
    is_state_office,
)
from funding.services import forwarding as forwarding_services
from funding.services import payments as payment_services
from funding.services.errors import FundingError

PAGE_SIZE = 50


def _error_text(error: FundingError) -> str:
    return " ".join(error.messages)


def _actions(user, payment_request) -> dict:
    """What the state office may do with a request now (the services decide in the end)."""
    status = payment_request.status
    return {
        "check": status == PaymentStatus.REQUESTED and is_reviewer(user),
        "approve": status == PaymentStatus.CHECKED
        and is_approver(user)
        and payment_request.checked_by_id != user.pk,
        "reject": status in payment_services.OPEN_STATUSES and _is_state_decider(user),
    }


def _granted_years(decision) -> list[int]:
    return [decision_year.year for decision_year in decision.years.all()] if decision else []


def _render_page(request, application, *, request_form=None, forwarding_form=None, status=200):
    decision = payment_services.current_decision(application)
    years = _granted_years(decision)
    writable = can_apply(request.user, application.municipality_id) and bool(years)
    payment_requests = list(
        application.payment_requests.select_related(
            "requested_by", "checked_by", "approved_by", "payment"
        ).order_by("year", "-requested_at")
    )
    for payment_request in payment_requests:
        payment_request.actions = _actions(request.user, payment_request)
    forwarding_allowed = bool(decision and decision.forwarding_allowed)
    context = {
        "application": application,
        "sections": sections.sections(request, application),
        "decision": decision,
        "final": bool(decision) and payment_services.is_final(decision, timezone.localdate()),
        "summaries": payment_services.year_summaries(application, decision),
        "payment_requests": payment_requests,
        "forwardings": application.forwardings.select_related("created_by").order_by(
            "year", "created_at"
        ),
        "forwarding_allowed": forwarding_allowed,
        "writable": writable,
        "request_form": request_form or (PaymentRequestForm(years=years) if writable else None),
        "forwarding_form": forwarding_form
        or (ForwardingForm(years=years) if writable and forwarding_allowed else None),
    }
    return render(request, "funding/payments/application_payments.html", context, status=status)


@login_required
def application_payments(request, pk):
    """The money of one application: granted, requested, ordered and paid per year, the
    requests and their checks, and the forwardings."""
    if request.method != "POST":
        return _render_page(request, access_application(request.user, pk))
    application = access_application(request.user, pk, write=True)
    years = _granted_years(payment_services.current_decision(application))
    form = PaymentRequestForm(request.POST, years=years)
    if form.is_valid():
        try:
            payment_request = payment_services.request_payment(
                application=application, actor=request.user, **form.cleaned_data
            )
        except FundingError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Der Mittelabruf über %(amount)s ist gestellt; die Prüfung ist informiert.")
                % {"amount": format_euro(payment_request.amount)},
            )
            return redirect("funding:application_payments", pk=application.pk)
    return _render_page(request, application, request_form=form, status=400)


@login_required
@require_POST
def forwarding_create(request, pk):
    application = access_application(request.user, pk, write=True)
    years = _granted_years(payment_services.current_decision(application))
    form = ForwardingForm(request.POST, years=years)
    if form.is_valid():
        try:
            forwarding_services.record_forwarding(
                application=application, actor=request.user, **form.cleaned_data
            )
        except FundingError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Die Weiterleitung ist erfasst."))
            return redirect("funding:application_payments", pk=application.pk)
    return _render_page(request, application, forwarding_form=form, status=400)


@login_required
def forwarding_delete(request, pk):
    """Deleting a forwarding is confirmed on its own page first."""
    forwarding = access_forwarding(request.user, pk, write=True)
    application = forwarding.application
    if request.method == "POST":
        forwarding_services.delete_forwarding(forwarding=forwarding, actor=request.user)
        messages.success(
            request,
            _("Die Weiterleitung an %(name)s ist gelöscht.") % {"name": forwarding.recipient_name},
        )
        return redirect("funding:application_payments", pk=application.pk)
    return render(
        request,
        "funding/payments/forwarding_delete.html",
        {"forwarding": forwarding, "application": application},
    )


def _is_state_decider(user) -> bool:
    return is_reviewer(user) or is_approver(user)


# Each step of the state office: who may take it and what it does with the confirmed form.
STEPS = {
    "check": (
        is_reviewer,
        lambda payment_request, actor, data: payment_services.check_payment(
            payment_request=payment_request, actor=actor
        ),
    ),
    "approve": (
        is_approver,
        lambda payment_request, actor, data: payment_services.approve_payment(
            payment_request=payment_request, actor=actor
        ),
    ),
    "reject": (
        _is_state_decider,
        lambda payment_request, actor, data: payment_services.reject_payment(
            payment_request=payment_request, actor=actor, reason=data["reason"]
        ),
    ),
}
DONE = {
    "check": _("Die sachliche Richtigkeit ist bestätigt; die Anordnung liegt bei der Bewilligung."),
    "approve": _("Die Zahlung ist angeordnet und wird ausgezahlt."),
    "reject": _("Der Mittelabruf ist abgelehnt; die Kommune ist informiert."),
}


def _payment_step(request, pk, step):
    payment_request = access_payment_request(request.user, pk)
    allowed, service = STEPS[step]
    if not allowed(request.user):
        raise PermissionDenied
    form = RejectForm(request.POST or None) if step == "reject" else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            service(payment_request, request.user, form.cleaned_data if form else {})
        except FundingError as refused:
            error = _error_text(refused)
        else:
            messages.success(request, str(DONE[step]))
            return redirect("funding:application_payments", pk=payment_request.application_id)
    return render(
        request,
        "funding/payments/payment_step.html",
        {
            "payment_request": payment_request,
            "application": payment_request.application,
            "step": step,
            "form": form,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def payment_check(request, pk):
    return _payment_step(request, pk, "check")


@login_required
def payment_approve(request, pk):
    return _payment_step(request, pk, "approve")


@login_required
def payment_reject(request, pk):
    return _payment_step(request, pk, "reject")


def _awaiting(user) -> Q:
    """What awaits the user: reviewers confirm requested ones, approvers order checked ones
    they did not check themselves."""
    awaiting = Q(pk__in=[])  # nothing, for the programme administration
    if is_reviewer(user):
        awaiting |= Q(status=PaymentStatus.REQUESTED)
    if is_approver(user):
        awaiting |= Q(status=PaymentStatus.CHECKED) & ~Q(checked_by=user)
    return awaiting


@login_required
def payment_queue(request):
    """The state office's list of payment requests, by default what awaits the user."""
    if not is_state_office(request.user):
        raise Http404
    default_show = (
        QueueFilterForm.MINE
        if is_reviewer(request.user) or is_approver(request.user)
        else QueueFilterForm.ALL
    )
    form = QueueFilterForm(request.GET or {"show": default_show})
    payment_requests = PaymentRequest.objects.select_related(
        "application__municipality", "checked_by", "approved_by"
    ).order_by("needed_on", "pk")
    if form.is_valid():
        filters = form.cleaned_data
        if (filters["show"] or default_show) == QueueFilterForm.MINE:
            payment_requests = payment_requests.filter(_awaiting(request.user))
        if filters["status"]:
            payment_requests = payment_requests.filter(status=filters["status"])
        if filters["year"]:
            payment_requests = payment_requests.filter(year=filters["year"])
        if filters["regierungsbezirk"]:
            payment_requests = payment_requests.filter(
                application__municipality__regierungsbezirk=filters["regierungsbezirk"]
            )
    else:
        payment_requests = payment_requests.none()
    page = Paginator(payment_requests, PAGE_SIZE).get_page(request.GET.get("seite"))
    for payment_request in page:
        payment_request.actions = _actions(request.user, payment_request)
    return render(request, "funding/payments/payment_queue.html", {"form": form, "page": page})
