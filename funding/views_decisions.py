"""Decision pages (issue 3 §5): the Bescheide of an application with their PDFs, the approver's
decision and amendment forms, the municipality's waiver of legal remedy, and Bescheid batches
for the state office. Thin: funding.services.decisions and .documents hold the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from funding import coverage
from funding.forms_decisions import AmendmentForm, BatchForm, BatchScope, DecisionForm, WaiverForm
from funding.models import (
    ApplicationStatus,
    Decision,
    DecisionYear,
    DocumentBatch,
    DocumentStatus,
    Review,
)
from funding.permissions import access_application, can_apply, is_approver, is_state_office
from funding.permissions_decisions import access_batch, access_decision, access_document
from funding.sections import sections
from funding.services import decisions as decision_services
from funding.services import documents as document_services
from funding.services.errors import FundingError

RECENT_BATCHES = 10


def _pdf_response(document, filename: str) -> FileResponse:
    if document is None or document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    # A Bescheid names amounts and people: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def _decision_filename(decision) -> str:
    return f"{decision.get_kind_display()} {decision.file_reference}.pdf".replace("/", "-")


def _page_context(request, application, *, decision_form=None, amendment_form=None) -> dict:
    """Everything the decisions page shows; the forms only for who may use them."""
    user = request.user
    decided = list(
        Decision.objects.filter(application=application)
        .select_related("decided_by", "supersedes", "document")
        .prefetch_related(Prefetch("years", queryset=DecisionYear.objects.order_by("year")))
        .order_by("-decided_at")
    )
    current = next((decision for decision in decided if decision.is_current), None)
    plan = {plan.year: plan for plan in application.years.all()}
    context = {
        "application": application,
        "sections": sections(request, application),
        "decisions": decided,
        "current": current,
        "plan": [plan[year] for year in sorted(plan)],
        "can_waive": can_apply(user, application.municipality_id),
        "today": timezone.localdate(),
    }
    may_decide = decision_services.may_decide(application, user)
    context["reviewed_it"] = is_approver(user) and not may_decide
    if may_decide and application.status == ApplicationStatus.RECOMMENDED:
        review = Review.objects.filter(application=application).select_related("reviewer").first()
        context["review"] = review
        context["coverage"] = coverage.year_coverage(application.call.programme_id, plan).values()
        context["decision_form"] = decision_form or DecisionForm(
            application=application, plan=plan, review=review
        )
    if may_decide and current is not None and current.grants_money:
        granted = {entry.year: entry.grant for entry in current.years.all()}
        context["amendment_form"] = amendment_form or AmendmentForm(plan=plan, current=granted)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def application_decisions(request, pk):
    application = access_application(request.user, pk)
    if request.method == "GET":
        return render(
            request,
            "funding/decisions/application_decisions.html",
            _page_context(request, application),
        )
    if not is_approver(request.user):
        raise PermissionDenied
    plan = {plan.year: plan for plan in application.years.all()}
    if request.POST.get("form") == "amend":
        current = Decision.objects.filter(application=application, is_current=True).first()
        if current is None:
            raise Http404
        granted = dict(current.years.values_list("year", "grant"))
        form = AmendmentForm(request.POST, plan=plan, current=granted)
        if form.is_valid():
            try:
                decision = decision_services.amend(
                    decision=current,
                    actor=request.user,
                    grants=form.grants(),
                    reasons=form.cleaned_data["reasons"],
                )
            except FundingError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Der Änderungsbescheid %(reference)s ist erlassen; das PDF wird erstellt.")
                    % {"reference": decision.file_reference},
                )
                return redirect("funding:application_decisions", pk=application.pk)
        context = _page_context(request, application, amendment_form=form)
    else:
        review = Review.objects.filter(application=application).first()
        form = DecisionForm(request.POST, application=application, plan=plan, review=review)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                decision = decision_services.decide(
                    application=application,
                    actor=request.user,
                    kind=kind,
                    grants=form.grants(),
                    reasons=form.cleaned_data["reasons"],
                    forwarding_allowed=form.cleaned_data["forwarding_allowed"],
                    version=form.cleaned_data["version"],
                )
            except FundingError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Der Bescheid %(reference)s ist erlassen; das PDF wird erstellt.")
                    % {"reference": decision.file_reference},
                )
                return redirect("funding:application_decisions", pk=application.pk)
        context = _page_context(request, application, decision_form=form)
    return render(request, "funding/decisions/application_decisions.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def decision_waiver(request, pk):
    decision = access_decision(request.user, pk)
    application = decision.application
    if not can_apply(request.user, application.municipality_id):
        raise PermissionDenied
    form = WaiverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.declare_remedy_waiver(decision=decision, actor=request.user)
        except FundingError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _(
                    "Der Rechtsbehelfsverzicht ist erklärt; der Bescheid %(reference)s ist "
                    "bestandskräftig."
                )
                % {"reference": decision.file_reference},
            )
            return redirect("funding:application_decisions", pk=application.pk)
    return render(
        request,
        "funding/decisions/waiver_confirm.html",
        {"decision": decision, "application": application, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def decision_pdf(request, pk):
    decision = access_decision(request.user, pk)
    document = getattr(decision, "document", None)
    return _pdf_response(document, _decision_filename(decision))


@login_required
@require_GET
def document_status(request, pk):
    """The state of one document; htmx polls it while the PDF is being rendered."""
    document = access_document(request.user, pk)
    return render(request, "funding/decisions/_document_status.html", {"document": document})


@login_required
@require_GET
def document_download(request, pk):
    document = access_document(request.user, pk)
    if document.decision is not None:
        filename = _decision_filename(document.decision)
    else:
        filename = f"Förderbericht {document.municipality.short_name}.pdf"
    return _pdf_response(document, filename)


@login_required
@require_http_methods(["GET", "POST"])
def document_batch_create(request):
    if not is_state_office(request.user):
        raise Http404
    form = BatchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        call = form.cleaned_data["call"]
        chosen = Decision.objects.filter(application__call=call, is_current=True).select_related(
            "application__municipality"
        )
        if form.cleaned_data["scope"] == BatchScope.MISSING:
            chosen = chosen.exclude(document__status=DocumentStatus.DONE)
        title = _("Bescheide %(call)s") % {"call": call.title}
        try:
            batch = document_services.request_bescheid_batch(
                decisions=chosen.order_by("file_reference"), actor=request.user, title=title
            )
        except FundingError as error:
            form.add_error(None, error.messages)
        else:
            return redirect("funding:document_batch_detail", pk=batch.pk)
    batches = DocumentBatch.objects.select_related("requested_by")[:RECENT_BATCHES]
    return render(
        request,
        "funding/decisions/batch_create.html",
        {"form": form, "batches": batches},
        status=400 if form.errors else 200,
    )


def _batch_context(batch) -> dict:
    return {
        "batch": batch,
        "progress": document_services.batch_progress(batch),
        "failed": batch.documents.filter(status=DocumentStatus.FAILED).select_related("decision"),
    }


@login_required
@require_GET
def document_batch_detail(request, pk):
    batch = access_batch(request.user, pk)
    return render(request, "funding/decisions/batch_detail.html", _batch_context(batch))


@login_required
@require_GET
def document_batch_progress(request, pk):
    """The progress bar alone; htmx polls it every two seconds until the batch is finished."""
    batch = access_batch(request.user, pk)
    return render(request, "funding/decisions/_batch_progress.html", _batch_context(batch))


@login_required
@require_GET
def document_batch_zip(request, pk):
    batch = access_batch(request.user, pk)
    if not document_services.batch_progress(batch).done:
        raise Http404
    response = HttpResponse(document_services.batch_zip(batch), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="bescheide-{batch.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
