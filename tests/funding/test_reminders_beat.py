"""Reminders of the beat job (issue 3 §10): closing calls, due and overdue proofs, waiting
payment requests – each once, however often the job runs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.models import (
    ApplicationStatus,
    Decision,
    DecisionKind,
    DecisionYear,
    PaymentRequest,
    PaymentStatus,
    ReminderLog,
)
from funding.services.reminders import send_reminders
from funding.tasks import send_reminders_task
from tests.factories import (
    ParticipationFactory,
    ProgrammeFactory,
    StateRoleFactory,
    UserFactory,
)
from tests.factories_funding import ApplicationFactory, CallFactory, FundingRuleFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 26)  # the factory call closes on 31 December 2026


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    def run(today=TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            counts = send_reminders(today)
        return counts

    return run


@pytest.fixture
def participants(personas):
    programme = ProgrammeFactory()
    for municipality in (personas.municipality_a, personas.municipality_b):
        ParticipationFactory(programme=programme, municipality=municipality)
    return programme


def test_closing_call_reminds_participants_without_a_submitted_application(
    run, personas, participants, mailoutbox
):
    call = CallFactory(programme=participants)
    ApplicationFactory(
        call=call, municipality=personas.municipality_b, status=ApplicationStatus.SUBMITTED
    )
    ApplicationFactory(call=call, municipality=personas.municipality_a)  # a draft only

    assert run() == {"call-closing-7": 1}
    assert [m.to for m in mailoutbox] == [[personas.coordinator_a.email]]
    assert "31.12.2026" in mailoutbox[0].subject
    assert "/foerderung/antraege/" in mailoutbox[0].body

    assert run() == {}
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "today", [date(2026, 12, 23), date(2027, 1, 1), date(2026, 8, 28)], ids=str
)
def test_no_call_reminder_outside_the_last_week(run, personas, participants, mailoutbox, today):
    CallFactory(programme=participants)
    assert run(today) == {}
    assert mailoutbox == []


def test_municipality_that_left_the_programme_is_not_reminded(run, personas, mailoutbox):
    programme = ProgrammeFactory()
    ParticipationFactory(
        programme=programme, municipality=personas.municipality_a, left_on=date(2025, 12, 31)
    )
    CallFactory(programme=programme)
    assert run() == {}


def _granted(personas, year, *, grant=Decimal("29958.00")):
    programme = ProgrammeFactory()
    FundingRuleFactory(programme=programme)  # proofs due six months after the year
    application = ApplicationFactory(
        call=CallFactory(programme=programme, first_year=year, last_year=year),
        municipality=personas.municipality_a,
        status=ApplicationStatus.APPROVED,
    )
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.APPROVAL,
        file_reference=f"KeKiz-{year}-0001",
        decided_by=personas.approver,
        decided_at=timezone.now(),
        reasons="Antrag vollständig",
        financing_type="anteil",
    )
    DecisionYear.objects.create(decision=decision, year=year, eligible_costs=grant * 2, grant=grant)
    return application


def test_proof_reminded_a_month_before_it_is_due_and_when_overdue(run, personas, mailoutbox):
    application = _granted(personas, 2026)  # proof due 30 June 2027

    assert run(date(2027, 5, 30)) == {}
    assert run(date(2027, 6, 1)) == {"proof-due-30": 1}
    assert run(date(2027, 6, 15)) == {}
    assert run(date(2027, 7, 1)) == {"proof-overdue": 1}
    assert run(date(2027, 8, 1)) == {}

    due, overdue = mailoutbox
    assert due.to == [personas.coordinator_a.email]
    assert f"Verwendungsnachweis 2026 zu {application.number} fällig am 30.06.2027" in due.subject
    assert "überfällig" in overdue.subject
    assert ReminderLog.objects.get(kind="proof-overdue").object_key == f"{application.pk}:2026"


def _payment_request(personas, *, status, days_ago, checked_by=None):
    application = _granted(personas, 2027)
    when = timezone.now() - timedelta(days=days_ago)
    request = PaymentRequest.objects.create(
        application=application,
        year=2027,
        amount=Decimal("5000.00"),
        needed_on=date(2027, 2, 1),
        purpose="Personalausgaben Januar und Februar",
        status=status,
        requested_by=personas.coordinator_a,
        checked_by=checked_by,
        checked_at=when if checked_by else None,
    )
    PaymentRequest.objects.filter(pk=request.pk).update(requested_at=when)
    return request


def test_payment_request_waiting_for_check_reminds_reviewers(run, personas, mailoutbox):
    _payment_request(personas, status=PaymentStatus.REQUESTED, days_ago=5)
    today = timezone.localdate()
    assert run(today) == {"payment-check-3": 1}
    assert [m.to for m in mailoutbox] == [[personas.reviewer.email]]
    assert "wartet auf Prüfung" in mailoutbox[0].subject
    assert run(today) == {}


def test_checked_payment_request_reminds_approvers_but_not_the_checker(run, personas, mailoutbox):
    second_approver = _second_approver()
    _payment_request(
        personas, status=PaymentStatus.CHECKED, days_ago=4, checked_by=personas.approver
    )
    assert run(timezone.localdate()) == {"payment-approval-3": 1}
    assert [m.to for m in mailoutbox] == [[second_approver.email]]
    assert "5.000,00" in mailoutbox[0].body


def _second_approver():
    return StateRoleFactory(
        role="state_approver", user=UserFactory(email="zweite.bewilligung@example.org")
    ).user


def test_fresh_payment_request_is_not_reminded(run, personas, mailoutbox):
    _payment_request(personas, status=PaymentStatus.REQUESTED, days_ago=2)
    assert run(timezone.localdate()) == {}


def test_beat_task_runs_twice_and_mails_once(
    personas, participants, django_capture_on_commit_callbacks, mailoutbox
):
    today = timezone.localdate()
    CallFactory(
        programme=participants,
        opens_on=today - timedelta(days=60),
        closes_on=today + timedelta(days=3),
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders_task.delay()
    assert len(mailoutbox) == 2  # coordinators of A and of B, once each
    assert ReminderLog.objects.filter(kind="call-closing-7").count() == 2
