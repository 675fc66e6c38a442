"""The payout worker. It takes the request's id and may run more than once (a retry, a second
worker after a crash): the service pays a request at most once."""

from celery import shared_task
from django.db import OperationalError

from funding.services.payments import execute_payout


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=8,
)
def payout_task(payment_request_id: int) -> int:
    """Pay the ordered request; returns the payment's id."""
    return execute_payout(payment_request_id=payment_request_id).pk
