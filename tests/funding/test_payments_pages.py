"""The payments pages: who sees and does what, forms that keep the input, confirmation steps,
and a queue whose queries do not grow with its rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Forwarding, Payment, PaymentRequest, PaymentStatus
from tests.factories_funding import ApplicationFactory
from tests.funding import test_payments_world
from tests.funding.test_payments_world import grant_decision, open_request

world = test_payments_world.world
today = test_payments_world.today

REQUEST = {
    "year": "2027",
    "amount": "7.489,50",
    "needed_on": "2027-03-20",
    "purpose": "Personalausgaben März",
}
FORWARDING = {
    "year": "2027",
    "recipient_name": "Diakonie Musterstadt e. V.",
    "recipient_address": "Kirchstraße 1\n40210 Düsseldorf",
    "legal_form": "e. V.",
    "amount": "10.000,00",
    "contract_date": "2027-02-01",
}


def payments_url(application):
    return reverse("funding:application_payments", args=[application.pk])


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status", "has_form"),
    [
        ("coordinator_a", 200, True),
        ("viewer_a", 200, False),
        ("companion_a", 200, False),
        ("reviewer", 200, False),
        ("approver", 200, False),
        ("coordinator_b", 404, False),
        ("researcher", 404, False),
        ("outsider", 404, False),
    ],
)
def test_who_sees_the_payments_page(client, world, who, status, has_form):
    open_request(world.application, world.personas.coordinator_a)
    response = as_user(client, getattr(world.personas, who)).get(payments_url(world.application))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "29.958,00" in page
        assert "Personalausgaben der Koordinationsstelle März" in page
        assert ("Mittelabruf stellen" in page) is has_form
        assert ("Weiterleitung erfassen" in page) is has_form


def test_anonymous_users_are_sent_to_the_login(client, world):
    response = client.get(payments_url(world.application))
    assert response.status_code == 302
    assert "login" in response["Location"] or "anmelden" in response["Location"]


def test_coordinator_requests_money_on_the_page(client, world):
    response = as_user(client, world.personas.coordinator_a).post(
        payments_url(world.application), REQUEST
    )
    assert response.status_code == 302
    payment_request = PaymentRequest.objects.get()
    assert payment_request.amount == Decimal("7489.50")
    assert payment_request.requested_by == world.personas.coordinator_a


def test_a_refused_request_keeps_the_input_and_says_what_to_fix(client, world):
    data = {**REQUEST, "amount": "40.000,00"}
    response = as_user(client, world.personas.coordinator_a).post(
        payments_url(world.application), data
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "abrufbar sind noch 29.958,00" in page
    assert 'value="Personalausgaben März"' in page
    assert "40.000,00" in page or "40000" in page
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("who", ["viewer_a", "reviewer", "coordinator_b", "outsider"])
def test_only_the_coordinator_may_post_a_request(client, world, who):
    response = as_user(client, getattr(world.personas, who)).post(
        payments_url(world.application), REQUEST
    )
    assert response.status_code == 404
    assert not PaymentRequest.objects.exists()


def test_check_and_approve_with_confirmation_pays(
    client, world, django_capture_on_commit_callbacks
):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    check_url = reverse("funding:payment_check", args=[payment_request.pk])
    reviewer = as_user(client, world.personas.reviewer)
    assert "sachlich richtig – bestätigen" in reviewer.get(check_url).content.decode()
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.REQUESTED  # the GET only asks
    assert reviewer.post(check_url).status_code == 302
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.CHECKED

    approve_url = reverse("funding:payment_approve", args=[payment_request.pk])
    approver = as_user(client, world.personas.approver)
    page = approver.get(payments_url(world.application)).content.decode()
    assert approve_url in page
    with django_capture_on_commit_callbacks(execute=True):
        assert approver.post(approve_url).status_code == 302
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.PAID
    page = approver.get(payments_url(world.application)).content.decode()
    assert Payment.objects.get().booking_reference in page


def test_reject_needs_a_reason(client, world):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    url = reverse("funding:payment_reject", args=[payment_request.pk])
    reviewer = as_user(client, world.personas.reviewer)
    assert reviewer.post(url, {"reason": ""}).status_code == 400
    assert reviewer.post(url, {"reason": "Bedarf nicht belegt."}).status_code == 302
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.REJECTED
    assert payment_request.rejection_reason == "Bedarf nicht belegt."


def test_the_approver_who_checked_gets_no_approve_button_and_is_refused(client, world):
    from tests.factories import StateRoleFactory

    both = world.personas.reviewer
    StateRoleFactory(user=both, role="state_approver")
    payment_request = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.CHECKED,
        checked_by=both,
    )
    approve_url = reverse("funding:payment_approve", args=[payment_request.pk])
    page = as_user(client, both).get(payments_url(world.application)).content.decode()
    assert approve_url not in page
    response = client.post(approve_url)
    assert response.status_code == 400
    assert "Vier-Augen-Prinzip" in response.content.decode()
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.CHECKED


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator_a", 403), ("viewer_a", 403), ("coordinator_b", 404), ("outsider", 404)],
)
def test_municipalities_cannot_take_the_state_offices_steps(client, world, who, status):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    user = as_user(client, getattr(world.personas, who))
    for name in ("funding:payment_check", "funding:payment_approve", "funding:payment_reject"):
        url = reverse(name, args=[payment_request.pk])
        assert user.post(url, {"reason": "x"}).status_code == status
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.REQUESTED


def test_forwarding_recorded_and_deleted_after_confirmation(client, world):
    coordinator = as_user(client, world.personas.coordinator_a)
    url = reverse("funding:forwarding_create", args=[world.application.pk])
    assert coordinator.post(url, FORWARDING).status_code == 302
    forwarding = Forwarding.objects.get()
    assert forwarding.amount == Decimal("10000.00")
    delete_url = reverse("funding:forwarding_delete", args=[forwarding.pk])
    assert "Weiterleitung löschen" in coordinator.get(delete_url).content.decode()
    assert Forwarding.objects.exists()
    assert coordinator.post(delete_url).status_code == 302
    assert not Forwarding.objects.exists()


def test_forwarding_refused_keeps_input(client, world):
    url = reverse("funding:forwarding_create", args=[world.application.pk])
    response = as_user(client, world.personas.coordinator_a).post(
        url, {**FORWARDING, "amount": "30.000,00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "weitergeleitet werden können noch 29.958,00" in page
    assert "Diakonie Musterstadt e. V." in page


def test_no_forwarding_section_when_the_decision_does_not_allow_it(client, world):
    world.decision.forwarding_allowed = False
    world.decision.save()
    page = as_user(client, world.personas.coordinator_a).get(payments_url(world.application))
    assert "Weiterleitung" not in page.content.decode()
    url = reverse("funding:forwarding_create", args=[world.application.pk])
    response = client.post(url, FORWARDING)
    assert response.status_code == 400
    assert not Forwarding.objects.exists()


@pytest.mark.parametrize("who", ["viewer_a", "coordinator_b", "reviewer", "outsider"])
def test_others_cannot_record_or_delete_forwardings(client, world, who):
    forwarding = Forwarding.objects.create(
        application=world.application,
        year=2027,
        recipient_name="Diakonie",
        recipient_address="Kirchstraße 1",
        amount=Decimal("100.00"),
        contract_date=date(2027, 2, 1),
        created_by=world.personas.coordinator_a,
    )
    user = as_user(client, getattr(world.personas, who))
    create_url = reverse("funding:forwarding_create", args=[world.application.pk])
    assert user.post(create_url, FORWARDING).status_code == 404
    delete_url = reverse("funding:forwarding_delete", args=[forwarding.pk])
    assert user.post(delete_url).status_code == 404
    assert Forwarding.objects.count() == 1


def _fill_queue(world, count, *, application=None):
    """`count` requested and `count` checked requests, of new municipalities unless told."""
    for _index in range(count):
        owner = application
        if owner is None:
            owner = ApplicationFactory(call=world.application.call)
            grant_decision(owner, world.personas.approver)
        open_request(owner, world.personas.coordinator_a, amount=Decimal("10.00"))
        open_request(
            owner,
            world.personas.coordinator_a,
            amount=Decimal("20.00"),
            status=PaymentStatus.CHECKED,
            checked_by=world.personas.reviewer,
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reviewer", 200),
        ("approver", 200),
        ("state_admin", 200),
        ("coordinator_a", 404),
        ("viewer_a", 404),
        ("researcher", 404),
        ("outsider", 404),
    ],
)
def test_queue_is_the_state_offices(client, world, who, status):
    response = as_user(client, getattr(world.personas, who)).get(reverse("funding:payment_queue"))
    assert response.status_code == status


def test_queue_shows_what_awaits_the_user(client, world):
    requested = open_request(world.application, world.personas.coordinator_a)
    checked = open_request(
        world.application,
        world.personas.coordinator_a,
        status=PaymentStatus.CHECKED,
        checked_by=world.personas.reviewer,
    )
    url = reverse("funding:payment_queue")
    reviewer_page = as_user(client, world.personas.reviewer).get(url).content.decode()
    assert reverse("funding:payment_check", args=[requested.pk]) in reviewer_page
    assert reverse("funding:payment_approve", args=[checked.pk]) not in reviewer_page
    approver_page = as_user(client, world.personas.approver).get(url).content.decode()
    assert reverse("funding:payment_approve", args=[checked.pk]) in approver_page
    assert reverse("funding:payment_check", args=[requested.pk]) not in approver_page
    filtered = client.get(url, {"show": "all", "status": "requested", "year": "2027"})
    assert reverse("funding:payment_reject", args=[requested.pk]) in filtered.content.decode()
    elsewhere = client.get(url, {"show": "all", "regierungsbezirk": "059"})
    assert "Keine Mittelabrufe zu diesen Filtern." in elsewhere.content.decode()


def test_queue_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    url = reverse("funding:payment_queue")
    approver = as_user(client, world.personas.approver)
    _fill_queue(world, 2)
    with django_assert_max_num_queries(12) as few:
        approver.get(url, {"show": "all"})
    _fill_queue(world, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = approver.get(url, {"show": "all"})
    assert response.content.decode().count("kern-table__row") > 40


def test_payments_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    coordinator = as_user(client, world.personas.coordinator_a)
    _fill_queue(world, 2, application=world.application)
    with django_assert_max_num_queries(25) as few:
        coordinator.get(payments_url(world.application))
    _fill_queue(world, 20, application=world.application)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator.get(payments_url(world.application))
