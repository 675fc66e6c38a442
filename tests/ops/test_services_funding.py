"""Funding tasks in a real worker over the machine's Redis: a payout sent twice pays once, and a
Bescheid is rendered by the worker into the media directory."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

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
from tests.ops.conftest import running_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@dataclass
class WorkerOnTestDatabase:
    queue: str
    media: Path


@pytest.fixture
def worker_on_test_database(broker, tmp_path):
    """A worker that reads and writes the test database (the session worker of conftest uses
    the configured one, which is enough for mail but not for tasks that load records)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    media = tmp_path / "media"
    env = {
        "REDIS_URL": broker,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(media),
        "EMAIL_URL": f"filemail:///{tmp_path}",
        # Production workers read the collected, hashed static files (print.css, fonts); a
        # collectstatic run takes minutes, so this worker finds them like development does.
        "DJANGO_DEBUG": "1",
    }
    queue = f"funding-test-{uuid.uuid4().hex[:8]}"
    with running_worker(env, tmp_path / "worker.log", queue=queue):
        yield WorkerOnTestDatabase(queue=queue, media=media)


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
    queue = worker_on_test_database.queue
    first = payout_task.apply_async([request.pk], queue=queue)
    second = payout_task.apply_async([request.pk], queue=queue)
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
    rendered_now = render_document_task.apply_async(
        [document.pk], queue=worker_on_test_database.queue
    ).get(timeout=120)
    document.refresh_from_db()
    assert rendered_now is True, document.error
    assert document.status == DocumentStatus.DONE, document.error
    rendered = worker_on_test_database.media / document.file.name
    assert rendered.read_bytes().startswith(b"%PDF-")
