"""Funding tasks in a real worker over the machine's Redis: a payout sent twice pays once, and a
Bescheid is rendered by the worker into the media directory."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from funding.models import (
    DocumentKind,
    DocumentStatus,
    FundingDocument,
    Payment,
    PaymentRequest,
    PaymentStatus,
)
from funding.tasks_documents import render_document_task
from funding.tasks_payments import payout_task
from tests.factories_funding import ApplicationFactory, FundingRuleFactory, planned_year
from tests.funding.test_payments_world import grant_decision
from tests.ops.conftest import REPO, WORKER_START_TIMEOUT

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_on_test_database(broker, tmp_path):
    """A worker that reads and writes the test database (the session worker of conftest uses
    the configured one, which is enough for mail but not for tasks that load records)."""
    from kekiz_portal.celery import app

    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    name = f"kekiz-funding-{uuid.uuid4().hex[:8]}@localhost"
    media = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kekiz_portal.settings",
        "REDIS_URL": broker,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(media),
        "EMAIL_URL": f"filemail:///{tmp_path}",
        # Production workers read the collected, hashed static files (print.css, fonts); a
        # collectstatic run takes minutes, so this worker finds them like development does.
        "DJANGO_DEBUG": "1",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kekiz_portal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "-n",
                name,
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + WORKER_START_TIMEOUT
            while not app.control.ping(destination=[name], timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            yield media
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def approved_request(personas):
    FundingRuleFactory()
    application = ApplicationFactory(municipality=personas.municipality_a)
    for year in (2027, 2028):
        planned_year(application, year)
    decision = grant_decision(application, personas.approver, final_on=date(2027, 1, 15))
    request = PaymentRequest.objects.create(
        application=application,
        year=2027,
        amount=Decimal("14979.00"),
        needed_on=date(2027, 3, 15),
        purpose="Personalausgaben der Koordination, 1. Halbjahr",
        status=PaymentStatus.APPROVED,
        requested_by=personas.coordinator_a,
        checked_by=personas.reviewer,
        checked_at=timezone.now(),
        approved_by=personas.approver,
        approved_at=timezone.now(),
    )
    return decision, request


def test_payout_sent_twice_through_the_broker_pays_once(worker_on_test_database, approved_request):
    _decision, request = approved_request
    first = payout_task.delay(request.pk)
    second = payout_task.delay(request.pk)
    assert first.get(timeout=60) == second.get(timeout=60)
    assert Payment.objects.filter(request=request).count() == 1
    request.refresh_from_db()
    assert request.status == PaymentStatus.PAID


def test_worker_renders_the_bescheid(worker_on_test_database, approved_request, personas):
    decision, _request = approved_request
    document = FundingDocument.objects.create(
        kind=DocumentKind.BESCHEID,
        decision=decision,
        municipality=decision.application.municipality,
        requested_by=personas.approver,
    )
    rendered_now = render_document_task.delay(document.pk).get(timeout=120)
    document.refresh_from_db()
    assert rendered_now is True, document.error
    assert document.status == DocumentStatus.DONE, document.error
    rendered = worker_on_test_database / document.file.name
    assert rendered.read_bytes().startswith(b"%PDF-")
