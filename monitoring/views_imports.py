"""Pages of the monitoring import: history, upload, check result with preview and row errors,
progress, import and discard. Coordinators of the municipality only."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api.renderers import spreadsheet_text
from monitoring.forms_imports import DiscardForm, StartImportForm, UploadForm
from monitoring.imports import pages, services
from monitoring.imports.access import access_import_batch, access_import_municipality
from monitoring.models import ImportBatch, ObservationStatus
from monitoring.services import MonitoringError

HISTORY_PAGE_SIZE = 25


@require_GET
def import_list(request, slug):
    municipality = access_import_municipality(request.user, slug)
    batches = ImportBatch.objects.filter(municipality=municipality).select_related("uploaded_by")
    page = Paginator(batches, HISTORY_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "monitoring/imports/import_list.html",
        {"municipality": municipality, "page": page},
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    municipality = access_import_municipality(request.user, slug)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload_file(
                actor=request.user, municipality=municipality, file=form.cleaned_data["datei"]
            )
        except MonitoringError as error:
            form.add_error("datei", error.messages)
        else:
            return redirect("monitoring:import_detail", slug=municipality.slug, pk=batch.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "monitoring/imports/import_upload.html",
        {"municipality": municipality, "form": form},
        status=status,
    )


def _counts_text(cell: dict | None) -> str:
    if cell is None:
        return _("noch kein Wert")
    if cell["status"] == ObservationStatus.SECRET:
        return _("geheim („.“)")
    if cell["status"] == ObservationStatus.MISSING:
        return _("fehlt")
    numerator = number_format(float(cell["numerator"]), force_grouping=True)
    denominator = number_format(float(cell["denominator"]), force_grouping=True)
    return f"{numerator} / {denominator}"


def _detail_context(request, batch, start_form=None):
    context = pages.detail_context(request, batch, start_form)
    if not context["running"]:
        context["changes"] = [
            {
                **change,
                "old_text": _counts_text(change["old"]),
                "new_text": _counts_text(change["new"]),
            }
            for change in batch.summary.get("changes", [])
        ]
    return context


@require_GET
def import_detail(request, slug, pk):
    batch = access_import_batch(request.user, slug, pk)
    return render(request, "monitoring/imports/import_detail.html", _detail_context(request, batch))


@require_GET
def import_progress(request, slug, pk):
    batch = access_import_batch(request.user, slug, pk)
    detail_url = reverse("monitoring:import_detail", args=[slug, pk])
    if finished := pages.finished_response(request, batch, detail_url):
        return finished
    return render(
        request,
        "monitoring/imports/_progress.html",
        {"municipality": batch.municipality, "batch": batch, "running": True},
    )


@require_POST
def import_start(request, slug, pk):
    batch = access_import_batch(request.user, slug, pk)
    form = StartImportForm(request.POST, has_errors=bool(batch.error_rows))
    if form.is_valid():
        try:
            services.start_import(
                actor=request.user,
                batch=batch,
                only_valid_rows=form.cleaned_data.get("nur_gueltige", False),
            )
        except MonitoringError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("monitoring:import_detail", slug=slug, pk=pk)
    return render(
        request,
        "monitoring/imports/import_detail.html",
        _detail_context(request, batch, start_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def import_discard(request, slug, pk):
    batch = access_import_batch(request.user, slug, pk)
    if batch.status not in services.DISCARDABLE:
        return redirect("monitoring:import_detail", slug=slug, pk=pk)
    form = DiscardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discard(actor=request.user, batch=batch)
        except MonitoringError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("monitoring:import_detail", slug=slug, pk=pk)
        messages.success(
            request, _("Die Datei „%(name)s“ wurde verworfen.") % {"name": batch.original_name}
        )
        return redirect("monitoring:import_list", slug=slug)
    return render(
        request,
        "monitoring/imports/import_discard.html",
        {"municipality": batch.municipality, "batch": batch, "form": form},
        status=400 if form.errors else 200,
    )


class _Echo:
    def write(self, value):
        return value


@require_GET
def import_issues_csv(request, slug, pk):
    batch = access_import_batch(request.user, slug, pk)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        # The byte order mark and semicolons are what German spreadsheet programs expect.
        yield "\ufeff" + writer.writerow([_("Zeile"), _("Spalte"), _("Grund")])
        for line, column, message in batch.issues.values_list("line", "column", "message").iterator(
            chunk_size=2000
        ):
            yield writer.writerow([line, spreadsheet_text(column), spreadsheet_text(message)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importfehler-{batch.pk}.csv"'
    return response
