"""Pages of the programme administration (rules, calls, budgets), the budget coverage, the
exports and the municipality's status report (issue 3 §1, §2, §6, §12).

Thin: funding.permissions_administration decides who reaches a page (404 otherwise), the
services in funding.services.administration write, funding.reports and funding.exports read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from funding import reports
from funding.exports import EXPORTS, csv_chunks, xlsx_file
from funding.forms_administration import (
    BudgetFilterForm,
    BudgetForm,
    CallForm,
    ExportForm,
    RuleForm,
)
from funding.models import (
    Budget,
    Call,
    CostCategory,
    DocumentKind,
    DocumentStatus,
    FundingRule,
)
from funding.permissions import is_funding_admin
from funding.permissions_administration import (
    access_budget,
    access_call,
    access_funding_municipality,
    access_rule,
    require_state_office,
)
from funding.services import administration as services
from funding.services.documents import request_document

PER_PAGE = 50
# Programme, year and source identify the money (services.update_budget).
BUDGET_IDENTITY = ("programme", "fiscal_year", "source")


def _save(form, write) -> bool:
    """Call the service with the form's data; a refusal becomes the form's error."""
    data = dict(form.cleaned_data)
    reason = data.pop("reason", "")
    try:
        write(reason=reason, **data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("seite"))


@login_required
@require_GET
def administration(request):
    require_state_office(request.user)
    today = timezone.localdate()
    return render(
        request,
        "funding/administration/overview.html",
        {
            "rules": FundingRule.objects.count(),
            "calls": Call.objects.count(),
            "open_calls": services.calls_open_on(today).count(),
            "budgets": Budget.objects.count(),
            "writable": is_funding_admin(request.user),
        },
    )


# --- Förderregeln ---------------------------------------------------------------------------


@login_required
@require_GET
def rule_list(request):
    require_state_office(request.user)
    rules = FundingRule.objects.select_related("programme").order_by(
        "programme__name", "-valid_from_year"
    )
    page = _page(request, rules)
    labels = dict(CostCategory.choices)
    for rule in page.object_list:
        rule.category_labels = [str(labels[code]) for code in rule.eligible_categories]
    return render(
        request,
        "funding/administration/rule_list.html",
        {"page": page, "writable": is_funding_admin(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request):
    require_state_office(request.user, write=True)
    form = RuleForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda **data: services.create_rule(actor=request.user, **data))
    ):
        messages.success(request, _("Die Förderregel ist angelegt."))
        return redirect("funding:rule_list")
    return render(request, "funding/administration/rule_form.html", {"form": form, "rule": None})


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk):
    rule = access_rule(request.user, pk, write=True)
    form = RuleForm(request.POST or None, instance=rule, fixed=("programme",))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda **data: services.update_rule(rule=rule, actor=request.user, **data))
    ):
        messages.success(
            request,
            _(
                "Die Förderregel ist geändert. Bestehende Bescheide behalten die "
                "Bedingungen, mit denen sie erlassen wurden."
            ),
        )
        return redirect("funding:rule_list")
    return render(request, "funding/administration/rule_form.html", {"form": form, "rule": rule})


# --- Förderaufrufe --------------------------------------------------------------------------


@login_required
@require_GET
def call_list(request):
    require_state_office(request.user)
    calls = Call.objects.select_related("programme").order_by("-first_year", "title")
    return render(
        request,
        "funding/administration/call_list.html",
        {
            "page": _page(request, calls),
            "today": timezone.localdate(),
            "writable": is_funding_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    require_state_office(request.user, write=True)
    form = CallForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda **data: services.create_call(actor=request.user, **data))
    ):
        messages.success(request, _("Der Förderaufruf ist angelegt."))
        return redirect("funding:call_list")
    return render(request, "funding/administration/call_form.html", {"form": form, "call": None})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    call = access_call(request.user, pk, write=True)
    form = CallForm(request.POST or None, instance=call, fixed=("programme",))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda **data: services.update_call(call=call, actor=request.user, **data))
    ):
        messages.success(request, _("Der Förderaufruf ist geändert."))
        return redirect("funding:call_list")
    return render(
        request,
        "funding/administration/call_form.html",
        {"form": form, "call": call, "deletable": not call.applications.exists()},
    )


@require_GET
def open_calls(request):
    """Public: the calls open for applications today, for every municipality to see."""
    calls = services.calls_open_on(timezone.localdate()).order_by("closes_on", "title")
    return render(request, "funding/administration/open_calls.html", {"calls": list(calls)})


# --- Haushaltsmittel ------------------------------------------------------------------------


@login_required
@require_GET
def budget_list(request):
    require_state_office(request.user)
    filters = BudgetFilterForm(request.GET or None)
    budgets = filters.filter(
        Budget.objects.select_related("programme").order_by(
            "programme__name", "-fiscal_year", "source"
        )
    )
    return render(
        request,
        "funding/administration/budget_list.html",
        {
            "page": _page(request, budgets),
            "filters": filters,
            "writable": is_funding_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_create(request):
    require_state_office(request.user, write=True)
    form = BudgetForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda **data: services.create_budget(actor=request.user, **data))
    ):
        messages.success(request, _("Die Haushaltsmittel sind angelegt."))
        return redirect("funding:budget_list")
    return render(
        request, "funding/administration/budget_form.html", {"form": form, "budget": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk):
    budget = access_budget(request.user, pk, write=True)
    form = BudgetForm(request.POST or None, instance=budget, fixed=BUDGET_IDENTITY)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form, lambda **data: services.update_budget(budget=budget, actor=request.user, **data)
        )
    ):
        messages.success(request, _("Die Haushaltsmittel sind geändert."))
        return redirect("funding:budget_list")
    return render(
        request,
        "funding/administration/budget_form.html",
        {"form": form, "budget": budget, "deletable": not services.budget_in_use(budget)},
    )


def _delete(request, obj, delete, redirect_to, cancel_url):
    """The confirmation step of a deletion, and the deletion; a refusal is shown on it."""
    error = None
    if request.method == "POST":
        try:
            delete(actor=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": obj})
            return redirect(redirect_to)
    return render(
        request,
        "funding/administration/confirm_delete.html",
        {"object": obj, "error": error, "cancel_url": cancel_url},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_delete(request, pk):
    budget = access_budget(request.user, pk, write=True)
    return _delete(
        request,
        budget,
        lambda **kwargs: services.delete_budget(budget=budget, **kwargs),
        "funding:budget_list",
        reverse("funding:budget_edit", args=[budget.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_delete(request, pk):
    call = access_call(request.user, pk, write=True)
    return _delete(
        request,
        call,
        lambda **kwargs: services.delete_call(call=call, **kwargs),
        "funding:call_list",
        reverse("funding:call_edit", args=[call.pk]),
    )


# --- Deckung --------------------------------------------------------------------------------


@login_required
@require_GET
def coverage(request):
    require_state_office(request.user)
    programmes = list(reports.funding_programmes().order_by("name"))
    programme = reports.chosen_programme(programmes, request.GET.get("programm"))
    return render(
        request,
        "funding/coverage/overview.html",
        {
            "programmes": programmes,
            "overview": reports.coverage_overview(programme) if programme else None,
        },
    )


@login_required
@require_GET
def municipality_coverage(request, slug):
    municipality = access_funding_municipality(request.user, slug)
    return render(
        request,
        "funding/coverage/municipality.html",
        {
            "municipality": municipality,
            "promises": reports.municipality_coverage(municipality),
        },
    )


# --- Exporte --------------------------------------------------------------------------------


@login_required
@require_GET
def export(request):
    require_state_office(request.user)
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "funding/administration/export.html",
            {"form": form},
            status=400 if request.GET else 200,
        )
    chosen = EXPORTS[form.cleaned_data["inhalt"]]
    filename = f"foerderung-{chosen.slug}-{timezone.localdate():%Y-%m-%d}"
    if form.cleaned_data["format"] == "csv":
        response = StreamingHttpResponse(csv_chunks(chosen), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    else:
        response = FileResponse(
            xlsx_file(chosen),
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Förderbericht --------------------------------------------------------------------------


def _status_reports(municipality):
    return municipality.funding_documents.filter(kind=DocumentKind.STATUS_REPORT).select_related(
        "requested_by"
    )


def _status_report(municipality, pk):
    document = _status_reports(municipality).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


@login_required
@require_http_methods(["GET", "POST"])
def status_report(request, slug):
    municipality = access_funding_municipality(request.user, slug)
    if request.method == "POST":
        request_document(
            kind=DocumentKind.STATUS_REPORT, municipality=municipality, actor=request.user
        )
        messages.success(
            request,
            _(
                "Der Förderbericht wird erstellt. Sie können diese Seite verlassen; er steht "
                "danach hier zum Herunterladen bereit."
            ),
        )
        return redirect("funding:status_report", slug=municipality.slug)
    return render(
        request,
        "funding/coverage/status_report.html",
        {
            "municipality": municipality,
            "page": _page(request, _status_reports(municipality)),
        },
    )


@login_required
@require_GET
def status_report_row(request, slug, pk):
    """One row of the list; htmx polls it while the report is being rendered."""
    municipality = access_funding_municipality(request.user, slug)
    return render(
        request,
        "funding/coverage/_status_report_row.html",
        {"municipality": municipality, "document": _status_report(municipality, pk)},
    )


@login_required
@require_GET
def status_report_download(request, slug, pk):
    municipality = access_funding_municipality(request.user, slug)
    document = _status_report(municipality, pk)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"Foerderbericht-{municipality.slug}-{document.requested_at:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
