"""Integration with the machine's services: tasks cross a real Redis to a real worker."""

import pytest
from django.conf import settings
from django.core import mail

from accounts.tasks import send_portal_mail
from tests.factories import UserFactory
from tests.ops.conftest import wait_for_mail

pytestmark = pytest.mark.services


def clear(mail_dir):
    for file in mail_dir.glob("*.log"):
        file.unlink()


def test_tasks_go_to_the_broker(broker):
    assert broker == settings.CELERY_BROKER_URL
    assert not settings.CELERY_TASK_ALWAYS_EAGER


def test_mail_task_runs_in_the_worker(celery_worker_process, mail_dir):
    clear(mail_dir)
    result = send_portal_mail.delay(
        subject="[KeKiz-Portal] Probe",
        body="Hallo aus dem Worker",
        to=["probe@example.org"],
    )
    assert result.get(timeout=30) == 1
    assert "Hallo aus dem Worker" in wait_for_mail(mail_dir)
    assert mail.outbox == []  # it was not sent in this process


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_travels_through_the_worker(client, celery_worker_process, mail_dir):
    """Request → allauth adapter → on_commit → Redis → worker → mail backend."""
    clear(mail_dir)
    UserFactory(email="vergessen@example.org")
    response = client.post("/konto/password/reset/", {"email": "vergessen@example.org"})
    assert response.status_code == 302
    text = wait_for_mail(mail_dir)
    assert "vergessen@example.org" in text
    assert "/konto/password/reset/key/" in text


@pytest.mark.django_db
def test_healthz_sees_broker_and_worker(client, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}
