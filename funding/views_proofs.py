"""Pages of the proof of use (issue 3 §9): the granted years of an application with their
proofs, the proof itself (Sachbericht and figures), submission, the reviewer's check with a
preview of final grant, clawback and interest, giving back, and the Prüfvermerk as PDF.

Thin: funding.permissions fetches (404 for missing and forbidden alike), funding.services.proofs
decides, a FundingError becomes a message on the page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.pdf import render_pdf
from funding import selectors_proofs
from funding.forms_proofs import CheckForm, ProofForm, ReturnForm, VersionForm
from funding.models import ZERO, ProofStatus
from funding.permissions import access_application, access_proof, can_apply, is_reviewer
from funding.sections import sections
from funding.services import proofs as services
from funding.services.errors import FundingError


def _page(request, template, proof, context, status=200):
    application = proof.application
    return render(
        request,
        template,
        {
            "application": application,
            "sections": sections(request, application),
            "proof": proof,
            **context,
        },
        status=status,
    )


@require_GET
def application_proofs(request, pk):
    application = access_application(request.user, pk)
    today = timezone.localdate()
    rows = selectors_proofs.application_proof_rows(application)
    return render(
        request,
        "funding/proofs/application_proofs.html",
        {
            "application": application,
            "sections": sections(request, application),
            "rows": [(row, row.granted.is_overdue(today)) for row in rows],
            "may_report": can_apply(request.user, application.municipality_id),
            "may_check": is_reviewer(request.user),
        },
    )


@require_POST
def proof_open(request, pk, year):
    application = access_application(request.user, pk, write=True)
    try:
        proof = services.open_proof(application=application, year=year, actor=request.user)
    except FundingError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funding:application_proofs", pk=application.pk)
    return redirect("funding:proof_edit", pk=proof.pk)


def _statement(proof):
    """The figures statement: planned vs actual per cost line and per financing source (the
    grant as decided and as paid out so far)."""
    lines = list(proof.lines.all())
    try:
        decided = services.granted_year(proof.application, proof.year).grant
    except FundingError:  # an amending Bescheid took the year's grant back
        decided = ZERO
    plan = proof.application.years.filter(year=proof.year).first()
    paid = sum((payment.amount for payment in services.paid_amounts(proof)), ZERO)
    sources = [
        (_("Zuwendung (bewilligt / ausgezahlt)"), decided, paid),
        (_("Eigenmittel"), plan.own_funds if plan else ZERO, proof.actual_own_funds),
        (
            _("Drittmittel"),
            plan.third_party_funds if plan else ZERO,
            proof.actual_third_party_funds,
        ),
    ]
    planned_total = sum((line.planned for line in lines), ZERO)
    actual_total = sum((line.actual for line in lines), ZERO)
    sources_planned = sum((row[1] for row in sources), ZERO)
    sources_actual = sum((row[2] for row in sources), ZERO)
    figures = {
        "proof_lines": lines,
        # (line, difference, form field or None): the draft's form puts its inputs in.
        "lines": [(line, line.actual - line.planned, None) for line in lines],
        "planned_total": planned_total,
        "actual_total": actual_total,
        "difference_total": actual_total - planned_total,
        "sources": [
            (label, planned, actual, actual - planned) for label, planned, actual in sources
        ],
        "sources_planned": sources_planned,
        "sources_actual": sources_actual,
        "sources_difference": sources_actual - sources_planned,
        "decided_grant": decided,
        "paid": paid,
    }
    return figures


@require_http_methods(["GET", "POST"])
def proof_edit(request, pk):
    proof = access_proof(request.user, pk, write=request.method == "POST")
    figures = _statement(proof)
    lines = figures["proof_lines"]
    editable = proof.status == ProofStatus.DRAFT and can_apply(
        request.user, proof.application.municipality_id
    )
    form = None
    if editable:
        form = ProofForm(
            request.POST if request.method == "POST" else None, proof=proof, lines=lines
        )
    elif request.method == "POST":
        messages.error(request, _("Dieser Verwendungsnachweis kann nicht mehr bearbeitet werden."))
        return redirect("funding:proof_edit", pk=proof.pk)
    if form is not None:
        figures["lines"] = [
            (line, difference, form[ProofForm.line_field(line)])
            for line, difference, _field in figures["lines"]
        ]
    if request.method == "POST" and form.is_valid():
        try:
            services.save_proof(
                proof=proof,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                narrative=form.cleaned_data["narrative"],
                lines=form.lines_data(lines),
                actual_own_funds=form.cleaned_data["actual_own_funds"],
                actual_third_party_funds=form.cleaned_data["actual_third_party_funds"],
            )
        except FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Verwendungsnachweis wurde gespeichert."))
            if "submit" in request.POST:
                return redirect("funding:proof_submit", pk=proof.pk)
            return redirect("funding:proof_edit", pk=proof.pk)
    return _page(
        request,
        "funding/proofs/proof_edit.html",
        proof,
        {
            "form": form,
            "figures": figures,
            "return_reason": selectors_proofs.return_reason(proof),
            "may_check": is_reviewer(request.user) and proof.status == ProofStatus.SUBMITTED,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def proof_submit(request, pk):
    proof = access_proof(request.user, pk, write=True)
    if proof.status != ProofStatus.DRAFT:
        messages.info(request, _("Dieser Verwendungsnachweis ist bereits eingereicht."))
        return redirect("funding:proof_edit", pk=proof.pk)
    gaps = services.submission_gaps(proof)
    form = VersionForm(
        request.POST if request.method == "POST" else None, initial={"version": proof.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_proof(
                proof=proof, actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Der Verwendungsnachweis wurde eingereicht. Die Landeskoordinierungsstelle "
                    "prüft ihn."
                ),
            )
            return redirect("funding:application_proofs", pk=proof.application_id)
    return _page(
        request,
        "funding/proofs/proof_submit.html",
        proof,
        {"form": form, "gaps": gaps},
        status=400 if form.errors else 200,
    )


def _reviewer_proof(request, pk):
    proof = access_proof(request.user, pk)
    if not is_reviewer(request.user):
        raise Http404
    return proof


def _previewed(data) -> str:
    # What the preview showed; confirming other values shows the preview again.
    return f"{data['recognised_eligible']}|{data['interest_until'].isoformat()}"


@require_http_methods(["GET", "POST"])
def proof_check(request, pk):
    proof = _reviewer_proof(request, pk)
    if proof.status != ProofStatus.SUBMITTED:
        messages.info(request, _("Geprüft werden nur eingereichte Verwendungsnachweise."))
        return redirect("funding:proof_edit", pk=proof.pk)
    figures = _statement(proof)
    form = CheckForm(request.POST if request.method == "POST" else None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview = services.proof_figures(
                proof,
                recognised_eligible=data["recognised_eligible"],
                interest_until=data["interest_until"],
            )
            if "confirm" in request.POST and request.POST.get("previewed") == _previewed(data):
                services.check_proof(
                    proof=proof,
                    actor=request.user,
                    check_note=data["check_note"],
                    recognised_eligible=data["recognised_eligible"],
                    interest_until=data["interest_until"],
                )
                messages.success(request, _("Der Prüfvermerk wurde gespeichert."))
                return redirect("funding:proof_edit", pk=proof.pk)
        except FundingError as error:
            form.add_error(None, error)
            preview = None
    return _page(
        request,
        "funding/proofs/proof_check.html",
        proof,
        {
            "form": form,
            "figures": figures,
            "preview": preview,
            "previewed": _previewed(form.cleaned_data) if preview else "",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def proof_return(request, pk):
    proof = _reviewer_proof(request, pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_proof(
                proof=proof, actor=request.user, message=form.cleaned_data["message"]
            )
        except FundingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Der Verwendungsnachweis wurde an die Kommune zurückgegeben.")
            )
            return redirect("funding:proof_edit", pk=proof.pk)
    return _page(
        request,
        "funding/proofs/proof_return.html",
        proof,
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def proof_check_pdf(request, pk):
    proof = access_proof(request.user, pk)
    if proof.status != ProofStatus.CHECKED:
        raise Http404
    figures = _statement(proof)
    payments = sorted(services.paid_amounts(proof), key=lambda payment: payment.paid_on)
    pdf = render_pdf(
        "funding/pdf/proof_check.html",
        {
            "application": proof.application,
            "proof": proof,
            "figures": figures,
            "payments": payments,
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"Pruefvermerk-{proof.application.number}-{proof.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
