"""Funding PDFs rendered by the worker (issue 3 §5, §12): the Bescheid of a decision and a
municipality's status report (Berichtsvorlage), one at a time or as a batch with progress.

Rendering is idempotent (accounts.documents claims, renders and records failures for every
document of the portal). Each kind brings its template and its context from the module that
owns its content; this module only queues, builds and bundles.
"""

import io
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.documents import PENDING_STATUSES, Progress, render_queued
from accounts.pdf import render_pdf
from funding.models import DocumentBatch, DocumentKind, DocumentStatus, FundingDocument
from funding.permissions import can_read_funding, is_state_office
from funding.services.errors import FundingError


def _template_and_context(document) -> tuple[str, dict]:
    # Imported here: the content modules depend on this one to queue their documents.
    if document.kind == DocumentKind.BESCHEID:
        from funding.services.decisions import bescheid_context

        return "funding/pdf/bescheid.html", bescheid_context(document.decision)
    from funding.reports import status_report_context

    return "funding/pdf/status_report.html", status_report_context(document)


def _file_name(document) -> str:
    if document.kind == DocumentKind.BESCHEID:
        return f"bescheid-{slugify(document.decision.file_reference)}.pdf"
    return f"foerderbericht-{document.municipality.slug}-{document.pk}.pdf"


def _enqueue(document) -> None:
    from funding.tasks_documents import render_document_task

    transaction.on_commit(lambda: render_document_task.delay(document.pk))


@transaction.atomic
def request_document(
    *, kind: str, municipality, actor, decision=None, batch=None
) -> FundingDocument:
    """Queue a document; the worker renders it once the request is committed. A Bescheid has
    one document: asking again renders it anew, unless it is being rendered right now."""
    if kind == DocumentKind.BESCHEID:
        allowed = is_state_office(actor) and decision is not None
    else:
        allowed = can_read_funding(actor, municipality.pk)
    if not allowed:
        raise FundingError(_("Sie dürfen dieses Dokument nicht anfordern."))
    document = None
    if decision is not None:
        document = FundingDocument.objects.select_for_update().filter(decision=decision).first()
    if document is None:
        document = FundingDocument.objects.create(
            kind=kind, municipality=municipality, decision=decision, batch=batch, requested_by=actor
        )
    elif document.status in PENDING_STATUSES:
        if batch is not None:
            document.batch = batch
            document.save(update_fields=["batch"])
        if document.status == DocumentStatus.RENDERING:
            return document
        # Queued, but its task may be lost (a broker restart): one more is harmless, the
        # claim lets only one of them render.
    else:
        document.status = DocumentStatus.QUEUED
        document.progress = 0
        document.error = ""
        document.finished_at = None
        document.batch = batch or document.batch
        document.requested_by = actor
        document.requested_at = timezone.now()
        document.save(
            update_fields=[
                "status",
                "progress",
                "error",
                "finished_at",
                "batch",
                "requested_by",
                "requested_at",
            ]
        )
    _enqueue(document)
    return document


@transaction.atomic
def request_bescheid_batch(*, decisions, actor, title: str) -> DocumentBatch:
    """Queue the Bescheide of several decisions as one batch, e.g. all of a call."""
    if not is_state_office(actor):
        raise FundingError(_("Bescheide im Stapel erstellt nur die Landeskoordinierungsstelle."))
    decisions = list(decisions)
    if not decisions:
        raise FundingError(_("Es sind keine Bescheide ausgewählt. Bitte ändern Sie die Auswahl."))
    batch = DocumentBatch.objects.create(requested_by=actor, title=title)
    for decision in decisions:
        request_document(
            kind=DocumentKind.BESCHEID,
            municipality=decision.application.municipality,
            actor=actor,
            decision=decision,
            batch=batch,
        )
    return batch


def render_document(document_id: int) -> bool:
    """Render a queued document into its PDF file. False if there was nothing to do (running
    twice renders once) or if rendering failed – the document then says so."""
    return render_queued(
        FundingDocument.objects.select_related("municipality", "decision"),
        document_id,
        build_pdf=_build_pdf,
        file_name=_file_name,
    )


def _build_pdf(document: FundingDocument, progress: Progress) -> bytes:
    template, context = _template_and_context(document)
    progress(30)
    pdf = render_pdf(template, context)
    progress(90)
    return pdf


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def finished(self) -> bool:
        return self.done + self.failed >= self.total

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return (self.done + self.failed) * 100 // self.total


def batch_progress(batch) -> BatchProgress:
    counts = FundingDocument.objects.filter(batch=batch).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=DocumentStatus.DONE)),
        failed=Count("pk", filter=Q(status=DocumentStatus.FAILED)),
    )
    return BatchProgress(**counts)


def batch_zip(batch) -> bytes:
    """The finished PDFs of a batch in one ZIP archive (failed ones are missing)."""
    buffer = io.BytesIO()
    documents = FundingDocument.objects.filter(
        batch=batch, status=DocumentStatus.DONE
    ).select_related("decision", "municipality")
    # PDFs are compressed already; storing them keeps the archive quick to build.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in documents.order_by("pk"):
            with document.file.open("rb") as handle:
                archive.writestr(_file_name(document), handle.read())
    return buffer.getvalue()
