"""The payment and forwarding endpoints: rows and filters, constant queries, writes through the
same services as the pages, refusals in the one error format, and the persona matrix."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from funding.models import Forwarding, Payment, PaymentRequest, PaymentStatus
from tests.factories import StateRoleFactory
from tests.factories_funding import ApplicationFactory
from tests.funding import test_payments_world
from tests.funding.test_payments_world import grant_decision, open_request

world = test_payments_world.world
today = test_payments_world.today

REQUESTS = "/api/v1/funding/payment-requests/"
PAYMENTS = "/api/v1/funding/payments/"
FORWARDINGS = "/api/v1/funding/forwardings/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def new_forwarding(application, **data):
    return {
        "application": application.pk,
        "year": 2027,
        "recipient_name": "Diakonie Musterstadt e. V.",
        "recipient_address": "Kirchstraße 1\n40210 Düsseldorf",
        "legal_form": "e. V.",
        "amount": "100.00",
        "contract_date": "2027-02-01",
        **data,
    }


def new_request(world, **data):
    return {
        "application": world.application.pk,
        "year": 2027,
        "amount": "7489.50",
        "needed_on": "2027-03-20",
        "purpose": "Personalausgaben März",
        **data,
    }


def paid(world, application=None, amount=Decimal("100.00")):
    payment_request = open_request(
        application or world.application,
        world.personas.coordinator_a,
        amount=amount,
        status=PaymentStatus.PAID,
        checked_by=world.personas.reviewer,
        approved_by=world.personas.approver,
    )
    return Payment.objects.create(
        request=payment_request,
        amount=amount,
        paid_on=date(2027, 3, 1),
        booking_reference=f"KKZ-2027-{payment_request.pk:08d}",
    )


def test_coordinator_requests_money_and_gets_the_row(world):
    response = client_of(world.personas.coordinator_a).post(REQUESTS, new_request(world))
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["amount"] == "7489.50"
    assert row["needed_on"] == "2027-03-20"
    assert row["status"] == "requested"
    assert row["application_number"] == world.application.number
    assert PaymentRequest.objects.get().pk == row["id"]


def test_refusals_answer_in_the_one_error_format(world):
    coordinator = client_of(world.personas.coordinator_a)
    error = error_of(
        coordinator.post(REQUESTS, new_request(world, amount="40000.00")), 409, "refused"
    )
    assert "29.958,00" in error["message"]
    error = error_of(
        coordinator.post(REQUESTS, new_request(world, needed_on="2027-06-01")), 409, "refused"
    )
    assert "01.05.2027" in error["message"]
    error_of(coordinator.post(REQUESTS, new_request(world, amount="-1")), 400, "invalid")
    assert not PaymentRequest.objects.exists()


def test_the_state_office_checks_approves_and_the_payout_runs(
    world, django_capture_on_commit_callbacks
):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    url = f"{REQUESTS}{payment_request.pk}/"
    response = client_of(world.personas.reviewer).post(url + "check/")
    assert response.json()["status"] == "checked"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(world.personas.approver).post(url + "approve/")
    assert response.status_code == 200
    row = client_of(world.personas.coordinator_a).get(url).json()
    assert row["status"] == "paid"
    assert row["booking_reference"] == f"KKZ-2027-{payment_request.pk:08d}"
    assert row["approved_by"] == world.personas.approver.full_name


def test_who_checked_cannot_approve(world):
    both = world.personas.reviewer
    StateRoleFactory(user=both, role="state_approver")
    payment_request = open_request(
        world.application, world.personas.coordinator_a, status="checked", checked_by=both
    )
    error = error_of(
        client_of(both).post(f"{REQUESTS}{payment_request.pk}/approve/"), 409, "refused"
    )
    assert "Vier-Augen-Prinzip" in error["message"]


def test_reject_needs_a_reason(world):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    url = f"{REQUESTS}{payment_request.pk}/reject/"
    approver = client_of(world.personas.approver)
    error_of(approver.post(url, {}), 400, "invalid")
    assert approver.post(url, {"reason": "Bedarf nicht belegt."}).json()["status"] == "rejected"


def test_filters(world):
    requested = open_request(world.application, world.personas.coordinator_a)
    open_request(
        world.application,
        world.personas.coordinator_a,
        status="checked",
        checked_by=world.personas.reviewer,
        year=2028,
    )
    open_request(world.application_b, world.personas.coordinator_b)
    reviewer = client_of(world.personas.reviewer)
    assert reviewer.get(REQUESTS).json()["count"] == 3
    rows = reviewer.get(
        REQUESTS, {"application": world.application.pk, "status": "requested", "year": 2027}
    ).json()["results"]
    assert [row["id"] for row in rows] == [requested.pk]
    error_of(reviewer.get(REQUESTS, {"status": "unbekannt"}), 400, "invalid")


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("coordinator_a", True, False),
        ("viewer_a", True, False),
        ("companion_a", True, False),
        ("coordinator_b", False, True),
        ("reviewer", True, True),
        ("researcher", False, False),
        ("outsider", False, False),
    ],
)
def test_who_reads_what(world, who, sees_a, sees_b):
    request_a = open_request(world.application, world.personas.coordinator_a)
    request_b = open_request(world.application_b, world.personas.coordinator_b)
    payment_a, payment_b = paid(world), paid(world, world.application_b)
    client = client_of(getattr(world.personas, who))
    for endpoint, a, b in (
        (REQUESTS, request_a, request_b),
        (PAYMENTS, payment_a, payment_b),
    ):
        ids = {row["id"] for row in client.get(endpoint).json()["results"]}
        assert (a.pk in ids) is sees_a
        assert (b.pk in ids) is sees_b
        assert client.get(f"{endpoint}{a.pk}/").status_code == (200 if sees_a else 404)


@pytest.mark.parametrize("who", ["viewer_a", "companion_a", "coordinator_b", "outsider"])
def test_only_the_coordinator_writes(world, who):
    client = client_of(getattr(world.personas, who))
    error_of(client.post(REQUESTS, new_request(world)), 404, "not_found")
    error_of(
        client.post(
            FORWARDINGS,
            new_forwarding(world.application),
        ),
        404,
        "not_found",
    )
    assert not PaymentRequest.objects.exists()
    assert not Forwarding.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("coordinator_a", 403), ("coordinator_b", 404)])
def test_municipalities_cannot_check_or_approve(world, who, status):
    payment_request = open_request(world.application, world.personas.coordinator_a)
    client = client_of(getattr(world.personas, who))
    for step in ("check", "approve", "reject"):
        response = client.post(f"{REQUESTS}{payment_request.pk}/{step}/", {"reason": "x"})
        assert response.status_code == status
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.REQUESTED


def test_forwardings_create_list_delete(world):
    coordinator = client_of(world.personas.coordinator_a)
    response = coordinator.post(
        FORWARDINGS,
        new_forwarding(world.application, amount="10000.00"),
    )
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["amount"] == "10000.00"
    assert [
        r["id"] for r in client_of(world.personas.viewer_a).get(FORWARDINGS).json()["results"]
    ] == [row["id"]]
    assert (
        client_of(world.personas.coordinator_b).get(f"{FORWARDINGS}{row['id']}/").status_code == 404
    )
    assert (
        client_of(world.personas.viewer_a).delete(f"{FORWARDINGS}{row['id']}/").status_code == 404
    )
    assert coordinator.delete(f"{FORWARDINGS}{row['id']}/").status_code == 204
    assert not Forwarding.objects.exists()


def test_forwarding_refused_when_the_decision_does_not_allow_it(world):
    world.decision.forwarding_allowed = False
    world.decision.save()
    response = client_of(world.personas.coordinator_a).post(
        FORWARDINGS,
        new_forwarding(world.application),
    )
    assert "keine Weiterleitung" in error_of(response, 409, "refused")["message"]


def _many(world, count):
    for _index in range(count):
        application = ApplicationFactory(call=world.application.call)
        grant_decision(application, world.personas.approver)
        open_request(
            application,
            world.personas.coordinator_a,
            status="checked",
            checked_by=world.personas.reviewer,
        )
        paid(world, application)
        Forwarding.objects.create(
            application=application,
            year=2027,
            recipient_name="Diakonie",
            recipient_address="Kirchstraße 1",
            amount=Decimal("100.00"),
            contract_date=date(2027, 2, 1),
            created_by=world.personas.coordinator_a,
        )


@pytest.mark.parametrize("endpoint", [REQUESTS, PAYMENTS, FORWARDINGS])
def test_lists_take_constant_queries(world, endpoint, django_assert_max_num_queries):
    reviewer = client_of(world.personas.reviewer)
    _many(world, 2)
    with django_assert_max_num_queries(8) as few:
        reviewer.get(endpoint)
    _many(world, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = reviewer.get(endpoint)
    assert response.json()["count"] >= 17
