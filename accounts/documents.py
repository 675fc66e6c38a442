"""Rendering queued PDF documents: the one claim, progress and failure handling that every
document of the portal shares (monitoring reports, funding documents, prevention-chain PDFs).

A document model (accounts.models.QueuedDocument; funding's own model has the same fields) has
`status`, `progress` (0–100), `file`, `error` and `finished_at`. A request creates it queued
and a worker task renders it. Rendering is idempotent: a run first claims the queued document
under a row lock, so a task delivered twice (acks_late, a retry, two workers) renders once.
Each app brings what differs – which rows, how its PDF is built, the file's name – and keeps
its own rules for requesting.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DocumentStatus

logger = logging.getLogger(__name__)

QUEUED = DocumentStatus.QUEUED
RENDERING = DocumentStatus.RENDERING
DONE = DocumentStatus.DONE
FAILED = DocumentStatus.FAILED
PENDING_STATUSES = (QUEUED, RENDERING)

# A request for the same document within this time is the same request (a double click, a
# reload), not a new one.
DUPLICATE_WINDOW = timedelta(minutes=10)

Progress = Callable[[int], None]


def recent_pending(documents: QuerySet) -> Model | None:
    """The document among `documents` (the same request's) that is still queued or being
    rendered and was asked for within DUPLICATE_WINDOW, locked; None if there is none. Call it
    in the requesting transaction, before creating a new one."""
    return (
        documents.select_for_update()
        .filter(status__in=PENDING_STATUSES, requested_at__gte=timezone.now() - DUPLICATE_WINDOW)
        .first()
    )


def claim_queued(documents: QuerySet, document_id: int) -> Model | None:
    """Take a queued document for rendering; None if another run has it or it is done."""
    with transaction.atomic():
        # Only the document's row is locked: related rows (municipality, requester) may be
        # joined for the content, and a nullable one cannot be locked in an outer join.
        document = documents.select_for_update(of=("self",)).filter(pk=document_id).first()
        if document is None or document.status != QUEUED:
            return None
        document.status = RENDERING
        document.progress = 1
        document.save(update_fields=["status", "progress"])
        return document


def save_progress(document: Model, percent: int) -> None:
    """Store how far rendering is, at once, for the page that polls it."""
    document.progress = percent
    type(document).objects.filter(pk=document.pk).update(progress=percent)


def render_queued(
    documents: QuerySet,
    document_id: int,
    *,
    build_pdf: Callable[[Model, Progress], bytes],
    file_name: Callable[[Model], str],
    failure_message: str | None = None,
) -> bool:
    """Render a queued document into its PDF file: `build_pdf(document, progress)` returns the
    PDF's bytes and may report progress on the way. Returns False if there was nothing to do
    (running twice renders once) or if rendering failed – the document then says so in
    `failure_message` (plain German, what to do next)."""
    document = claim_queued(documents, document_id)
    if document is None:
        return False
    try:
        pdf = build_pdf(document, lambda percent: save_progress(document, percent))
        with transaction.atomic():
            if document.file:
                document.file.delete(save=False)
            document.file.save(file_name(document), ContentFile(pdf), save=False)
            document.status = DONE
            document.progress = 100
            document.error = ""
            document.finished_at = timezone.now()
            document.save(update_fields=["file", "status", "progress", "error", "finished_at"])
    except Exception:
        logger.exception("%s %s could not be rendered", document._meta.label, document_id)
        type(document).objects.filter(pk=document.pk).update(
            status=FAILED,
            error=failure_message
            or _(
                "Das Dokument konnte nicht erstellt werden. Bitte fordern Sie es erneut an; "
                "wenn der Fehler bleibt, wenden Sie sich an die Programmverwaltung."
            ),
            finished_at=timezone.now(),
        )
        # Not raised on: the document shows the failure, and an eager run (no broker) must
        # not turn the page that asked for it into an error page.
        return False
    return True
