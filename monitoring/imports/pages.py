"""What the pages of every file import show and do alike – the monitoring import and the
offering import of prevention chains: the detail page's context and the progress poll."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRefresh

from monitoring.forms_imports import StartImportForm
from monitoring.imports.batches import RUNNING
from monitoring.models import ImportStatus

ISSUE_PAGE_SIZE = 50


def detail_context(request, batch, start_form=None) -> dict:
    """The batch, whether it still runs, and once it does not: a page of its row errors, the
    preview of a check and the form that starts the import of a checked file."""
    context = {
        "municipality": batch.municipality,
        "batch": batch,
        "running": batch.status in RUNNING,
    }
    if batch.status in RUNNING:
        return context
    context["issue_page"] = Paginator(batch.issues.all(), ISSUE_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    context["preview"] = batch.summary.get("preview")
    if batch.status == ImportStatus.CHECKED:
        context["start_form"] = start_form or StartImportForm(has_errors=bool(batch.error_rows))
    return context


def finished_response(request, batch, detail_url: str):
    """None while the batch runs (the caller answers with the progress bar); once it is done the
    whole page changes (preview or result), so htmx loads it anew and a plain GET goes there."""
    if batch.status in RUNNING:
        return None
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(detail_url)
