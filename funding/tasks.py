"""Celery beat tasks of funding (the schedule is in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from funding.services.reminders import send_reminders


@shared_task(acks_late=True)
def send_reminders_task() -> dict[str, int]:
    return send_reminders(timezone.localdate())
