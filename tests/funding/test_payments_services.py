"""Mittelabruf, Anordnung, Auszahlung and Weiterleitung services: the rules a coordinator and the
state office rely on, and that a payout runs once however often it is triggered."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from funding.models import Payment, PaymentRequest, PaymentStatus
from funding.services import forwarding as forwarding_services
from funding.services import payments
from funding.services.errors import FundingError
from funding.tasks_payments import payout_task
from tests.factories import StateRoleFactory
from tests.funding import test_payments_world
from tests.funding.test_payments_world import GRANT, open_request

world = test_payments_world.world
today = test_payments_world.today


def ask(world, *, amount="5000.00", needed_on=date(2027, 3, 15), year=2027, actor=None):
    return payments.request_payment(
        application=world.application,
        year=year,
        amount=Decimal(amount),
        needed_on=needed_on,
        purpose="Personalausgaben der Koordinationsstelle März",
        actor=actor or world.personas.coordinator_a,
    )


def refusal(error) -> str:
    return " ".join(error.value.messages)


def test_coordinator_requests_money_and_the_reviewer_hears_of_it(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment_request = ask(world)
    assert payment_request.status == PaymentStatus.REQUESTED
    assert payment_request.requested_by == world.personas.coordinator_a
    assert [mail.to for mail in mailoutbox] == [["pruefung@example.org"]]
    assert "5.000,00" in mailoutbox[0].body
    assert f"/antraege/{world.application.pk}/mittelabrufe/" in mailoutbox[0].body


def test_overdrawing_the_year_is_refused_with_the_remaining_amount(world):
    ask(world, amount="20000.00")
    with pytest.raises(FundingError) as refused:
        ask(world, amount="10000.00")
    assert "9.958,00" in refusal(refused)
    assert ask(world, amount="9958.00").amount == Decimal("9958.00")


def test_rejected_requests_no_longer_draw_on_the_grant(world):
    first = ask(world, amount=str(GRANT))
    payments.reject_payment(
        payment_request=first, actor=world.personas.reviewer, reason="Bedarf nicht belegt."
    )
    assert ask(world, amount=str(GRANT)).amount == GRANT


@pytest.mark.parametrize(
    ("needed_on", "allowed"),
    [
        (date(2027, 3, 1), True),
        (date(2027, 5, 1), True),  # today + 2 months, the last day of the window
        (date(2027, 5, 2), False),
        (date(2027, 2, 28), False),  # money is not requested for the past
    ],
)
def test_needs_must_lie_within_the_payment_window(world, needed_on, allowed):
    if allowed:
        assert ask(world, needed_on=needed_on).needed_on == needed_on
        return
    with pytest.raises(FundingError) as refused:
        ask(world, needed_on=needed_on)
    assert "01.03.2027 bis zum 01.05.2027" in refusal(refused)


def test_needs_must_lie_in_the_grant_year(world, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda value=None, timezone=None: date(2027, 12, 1)
    )
    with pytest.raises(FundingError) as refused:
        ask(world, needed_on=date(2028, 1, 10))
    assert "Förderjahr 2027" in refusal(refused)
    assert ask(world, needed_on=date(2028, 1, 10), year=2028).year == 2028


def test_a_decision_not_yet_final_is_refused_and_a_waiver_makes_it_final(world):
    world.decision.final_on = date(2027, 4, 1)
    world.decision.save()
    with pytest.raises(FundingError) as refused:
        ask(world)
    assert "nicht bestandskräftig" in refusal(refused)
    assert "01.04.2027" in refusal(refused)
    world.decision.remedy_waived_at = timezone.now()
    world.decision.save()
    assert ask(world).status == PaymentStatus.REQUESTED


def test_a_year_the_decision_does_not_grant_is_refused(world):
    with pytest.raises(FundingError) as refused:
        ask(world, year=2029)
    assert "2029 keine Mittel" in refusal(refused)


def test_without_a_decision_nothing_can_be_requested(world):
    world.decision.is_current = False
    world.decision.save()
    with pytest.raises(FundingError, match="keinen Bewilligungsbescheid"):
        ask(world)


@pytest.mark.parametrize("who", ["coordinator_b", "viewer_a", "companion_a", "reviewer"])
def test_only_the_municipalitys_coordinators_request_money(world, who):
    with pytest.raises(PermissionDenied):
        ask(world, actor=getattr(world.personas, who))
    assert not PaymentRequest.objects.exists()


def test_check_then_approve_pays_once_on_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    payment_request = ask(world)
    payments.check_payment(payment_request=payment_request, actor=world.personas.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        approved = payments.approve_payment(
            payment_request=payment_request, actor=world.personas.approver
        )
    assert approved.approved_by == world.personas.approver
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.PAID
    payment = Payment.objects.get()
    assert payment.amount == Decimal("5000.00")
    assert payment.paid_on == date(2027, 3, 1)
    assert payment.booking_reference == f"KKZ-2027-{payment_request.pk:08d}"
    assert any("koordination.a@example.org" in mail.to for mail in mailoutbox)


def test_payout_run_twice_pays_once(world):
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.APPROVED,
        checked_by=world.personas.reviewer,
        approved_by=world.personas.approver,
    )
    first = payments.execute_payout(payment_request_id=payment_request.pk)
    second = payments.execute_payout(payment_request_id=payment_request.pk)
    # Through the task (eager Celery) as a retry or a second worker would run it.
    third = payout_task.delay(payment_request.pk).get()
    fourth = payout_task.delay(payment_request.pk).get()
    assert first == second
    assert third == fourth == first.pk
    assert Payment.objects.count() == 1


def test_payout_pays_only_approved_requests(world):
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.CHECKED,
        checked_by=world.personas.reviewer,
    )
    with pytest.raises(FundingError, match="sachlich richtig"):
        payments.execute_payout(payment_request_id=payment_request.pk)
    assert not Payment.objects.exists()


def test_the_database_refuses_a_second_payment_of_a_request(world):
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.APPROVED,
        checked_by=world.personas.reviewer,
        approved_by=world.personas.approver,
    )
    payments.execute_payout(payment_request_id=payment_request.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            request=payment_request,
            amount=payment_request.amount,
            paid_on=date(2027, 3, 2),
            booking_reference="KKZ-2027-zweimal",
        )


def test_payout_that_loses_the_race_returns_the_first_payment(world, monkeypatch):
    """Another worker paid between our look-up and our insert: the unique key answers."""
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.APPROVED,
        checked_by=world.personas.reviewer,
        approved_by=world.personas.approver,
    )
    first = payments.execute_payout(payment_request_id=payment_request.pk)
    PaymentRequest.objects.filter(pk=payment_request.pk).update(status=PaymentStatus.APPROVED)
    real_filter = Payment.objects.filter
    monkeypatch.setattr(Payment.objects, "filter", lambda **kw: real_filter(pk=None, **kw))
    assert payments.execute_payout(payment_request_id=payment_request.pk) == first
    assert Payment.objects.count() == 1


def test_who_checked_cannot_approve(world):
    both = world.personas.reviewer
    StateRoleFactory(user=both, role="state_approver")
    payment_request = ask(world)
    payments.check_payment(payment_request=payment_request, actor=both)
    with pytest.raises(FundingError) as refused:
        payments.approve_payment(payment_request=payment_request, actor=both)
    assert "Vier-Augen-Prinzip" in refusal(refused)
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.CHECKED


def test_the_database_backs_the_four_eyes_rule(world):
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.CHECKED,
        checked_by=world.personas.reviewer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=payment_request.pk).update(
            approved_by=world.personas.reviewer, status=PaymentStatus.APPROVED
        )


def test_steps_keep_their_order_and_roles(world):
    payment_request = ask(world)
    with pytest.raises(FundingError, match="beantragt"):
        payments.approve_payment(payment_request=payment_request, actor=world.personas.approver)
    with pytest.raises(PermissionDenied):
        payments.check_payment(payment_request=payment_request, actor=world.personas.approver)
    with pytest.raises(PermissionDenied):
        payments.check_payment(payment_request=payment_request, actor=world.personas.coordinator_a)
    payments.check_payment(payment_request=payment_request, actor=world.personas.reviewer)
    with pytest.raises(FundingError, match="sachlich richtig"):
        payments.check_payment(payment_request=payment_request, actor=world.personas.reviewer)
    with pytest.raises(FundingError, match="begründen"):
        payments.reject_payment(
            payment_request=payment_request, actor=world.personas.approver, reason=" "
        )


def test_approval_rechecks_a_grant_lowered_in_the_meantime(world):
    payment_request = ask(world, amount="20000.00")
    payments.check_payment(payment_request=payment_request, actor=world.personas.reviewer)
    world.decision.years.filter(year=2027).update(grant=Decimal("15000.00"))
    with pytest.raises(FundingError, match=r"15\.000,00"):
        payments.approve_payment(payment_request=payment_request, actor=world.personas.approver)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_cannot_overdraw(world):
    """Both ask for 20,000 € of 29,958 € at the same moment: the application lock lets one in."""
    barrier = threading.Barrier(2)
    outcomes = []

    def request_in_thread():
        try:
            barrier.wait()
            outcomes.append(ask(world, amount="20000.00").status)
        except FundingError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["overdraw", PaymentStatus.REQUESTED]
    assert PaymentRequest.objects.count() == 1


def record(world, *, amount="10000.00", year=2027, actor=None):
    return forwarding_services.record_forwarding(
        application=world.application,
        year=year,
        recipient_name="Diakonie Musterstadt e. V.",
        recipient_address="Kirchstraße 1\n40210 Düsseldorf",
        legal_form="eingetragener Verein",
        amount=Decimal(amount),
        contract_date=date(2027, 2, 1),
        actor=actor or world.personas.coordinator_a,
    )


def test_forwarding_up_to_the_years_grant(world):
    record(world, amount="20000.00")
    with pytest.raises(FundingError) as refused:
        record(world, amount="10000.00")
    assert "9.958,00" in refusal(refused)
    assert record(world, amount="9958.00").amount == Decimal("9958.00")


def test_forwarding_refused_when_the_decision_does_not_allow_it(world):
    world.decision.forwarding_allowed = False
    world.decision.save()
    with pytest.raises(FundingError, match="keine Weiterleitung"):
        record(world)


@pytest.mark.parametrize("who", ["coordinator_b", "viewer_a", "approver"])
def test_only_coordinators_record_and_delete_forwardings(world, who):
    with pytest.raises(PermissionDenied):
        record(world, actor=getattr(world.personas, who))
    forwarding = record(world)
    with pytest.raises(PermissionDenied):
        forwarding_services.delete_forwarding(
            forwarding=forwarding, actor=getattr(world.personas, who)
        )
    forwarding_services.delete_forwarding(forwarding=forwarding, actor=world.personas.coordinator_a)
    assert not world.application.forwardings.exists()


def test_year_summary(world):
    ask(world, amount="1000.00")
    checked = ask(world, amount="2000.00")
    payments.check_payment(payment_request=checked, actor=world.personas.reviewer)
    open_request(
        world.application,
        world.personas.coordinator_a,
        amount=Decimal("3000.00"),
        status=PaymentStatus.APPROVED,
        checked_by=world.personas.reviewer,
        approved_by=world.personas.approver,
    )
    record(world, amount="500.00")
    summary = payments.year_summaries(world.application, world.decision)[0]
    assert (summary.year, summary.requested, summary.approved, summary.paid) == (
        2027,
        Decimal("3000.00"),
        Decimal("3000.00"),
        Decimal("0.00"),
    )
    assert summary.remaining == GRANT - Decimal("6000.00")
    assert summary.forwarded == Decimal("500.00")
