from celery import shared_task

from funding.services import documents


@shared_task(acks_late=True)
def render_document_task(document_id: int) -> bool:
    return documents.render_document(document_id)
