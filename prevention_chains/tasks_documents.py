"""Rendering of Leitbild and chain PDFs by the worker (see prevention_chains.documents)."""

from celery import shared_task

from prevention_chains import documents


@shared_task(acks_late=True)
def render_document_task(document_id: int) -> bool:
    return documents.render_document(document_id=document_id)
