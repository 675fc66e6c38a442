"""Celery tasks of the offerings part: they take ids, call the services and are enqueued on
commit. The beat schedule runs remind_stale_offerings daily."""

from celery import shared_task

from prevention_chains import services_offerings
from prevention_chains.offering_imports import loading


@shared_task(acks_late=True)
def check_offering_import(batch_id: int) -> None:
    loading.check_batch(batch_id=batch_id)


@shared_task(acks_late=True)
def run_offering_import(batch_id: int, actor_id: int) -> None:
    loading.import_batch(batch_id=batch_id, actor_id=actor_id)


@shared_task
def remind_stale_offerings() -> int:
    return services_offerings.remind_stale_offerings()
