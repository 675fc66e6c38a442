"""Celery tasks of the import: they take ids and call the steps (enqueued on commit)."""

from celery import shared_task

from monitoring.imports import checking, loading


@shared_task(acks_late=True)
def check_import(batch_id: int) -> None:
    checking.check_batch(batch_id=batch_id)


@shared_task(acks_late=True)
def run_import(batch_id: int, actor_id: int) -> None:
    loading.import_batch(batch_id=batch_id, actor_id=actor_id)
