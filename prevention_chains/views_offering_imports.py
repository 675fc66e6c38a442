"""Pages of the offering import: upload (with the earlier imports), check result with preview
and row errors, progress, import and discard, and the template file. Only the chain's writers
see them; everyone else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from monitoring.forms_imports import StartImportForm
from monitoring.imports import pages
from prevention_chains.errors import ChainError
from prevention_chains.models import OfferingImport
from prevention_chains.offering_imports import services
from prevention_chains.offering_imports.columns import COLUMNS
from prevention_chains.offering_imports.files import csv_response, xlsx_response
from prevention_chains.permissions import access_chain, access_offering_import

HISTORY_SIZE = 10


class UploadForm(forms.Form):
    datei = forms.FileField(
        label=gettext_lazy("Datei (CSV oder XLSX)"),
        help_text=gettext_lazy("Eine Zeile je Angebot, mit Kopfzeile; höchstens 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_import_upload(request, slug):
    municipality = access_chain(request.user, slug, write=True)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            batch = services.upload_file(
                actor=request.user, municipality=municipality, file=form.cleaned_data["datei"]
            )
        except ChainError as error:
            form.add_error("datei", error.messages)
        else:
            return redirect("prevention_chains:offering_import_detail", pk=batch.pk)
    history = OfferingImport.objects.filter(municipality=municipality).select_related(
        "uploaded_by"
    )[:HISTORY_SIZE]
    return render(
        request,
        "prevention_chains/offerings/import_upload.html",
        {"municipality": municipality, "form": form, "history": history, "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


def _batch(request, pk) -> OfferingImport:
    batch = access_offering_import(request.user, pk, write=True)
    batch.uploaded_by  # noqa: B018 – shown on every page of the batch
    return batch


def _detail_context(request, batch, start_form=None) -> dict:
    context = pages.detail_context(request, batch, start_form)
    context["sample"] = batch.summary.get("sample", [])
    return context


@login_required
@require_GET
def offering_import_detail(request, pk):
    batch = _batch(request, pk)
    return render(
        request, "prevention_chains/offerings/import_detail.html", _detail_context(request, batch)
    )


@login_required
@require_GET
def offering_import_progress(request, pk):
    batch = _batch(request, pk)
    detail_url = reverse("prevention_chains:offering_import_detail", args=[pk])
    if finished := pages.finished_response(request, batch, detail_url):
        return finished
    return render(request, "prevention_chains/offerings/_import_progress.html", {"batch": batch})


@login_required
@require_POST
def offering_import_start(request, pk):
    batch = _batch(request, pk)
    form = StartImportForm(request.POST, has_errors=bool(batch.error_rows))
    if not form.is_valid():
        return render(
            request,
            "prevention_chains/offerings/import_detail.html",
            _detail_context(request, batch, start_form=form),
            status=400,
        )
    try:
        services.start_import(
            actor=request.user,
            batch=batch,
            only_valid_rows=form.cleaned_data.get("nur_gueltige", False),
        )
    except ChainError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("prevention_chains:offering_import_detail", pk=pk)


@login_required
@require_POST
def offering_import_discard(request, pk):
    batch = _batch(request, pk)
    try:
        services.discard(actor=request.user, batch=batch)
    except ChainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("prevention_chains:offering_import_detail", pk=pk)
    messages.success(
        request, _("Die Datei „%(name)s“ wurde verworfen.") % {"name": batch.original_name}
    )
    return redirect("prevention_chains:offering_import_upload", slug=batch.municipality.slug)


@login_required
@require_GET
def offering_import_template(request, slug, fmt):
    """An empty file with the import's header row (XLSX: and a sheet explaining it)."""
    access_chain(request.user, slug, write=True)
    if fmt == "csv":
        return csv_response([], "angebote-vorlage.csv")
    if fmt == "xlsx":
        return xlsx_response([], "angebote-vorlage.xlsx")
    raise Http404
