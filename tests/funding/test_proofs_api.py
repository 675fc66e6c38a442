"""Proof-of-use API: who reads and writes what, refusals in the one error format, money as
decimal strings, constant queries on the list."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from funding.models import ProofStatus
from funding.services import proofs
from tests.factories_funding import ApplicationFactory, CallFactory, planned_year
from tests.funding import test_proofs_world
from tests.funding.test_proofs_world import GRANT, World, decide, opened, pay

world = test_proofs_world.world
LIST = "/api/v1/funding/proofs/"


@pytest.fixture(autouse=True)
def base_rate(settings):
    settings.FUNDING_BASE_RATE_PERCENT = "1.27"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(proof, suffix=""):
    return f"{LIST}{proof.pk}/{suffix}"


def submitted(world, personas, actual=Decimal("50000")):
    proof = opened(world, personas, actual=actual, narrative="Bericht")
    return proofs.submit_proof(
        proof=proof, actor=personas.coordinator_a, expected_version=proof.version
    )


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer", "approver"]
)
def test_readers_list_and_retrieve_with_lines(world: World, personas, persona):
    proof = opened(world, personas, actual=Decimal("50000"), narrative="Bericht")
    client = api(getattr(personas, persona))
    body = client.get(LIST).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["year"] == 2027
    assert row["due_on"] == "2028-06-30"
    assert row["lines"] == [
        {
            "id": proof.lines.get().pk,
            "category": "personnel",
            "description": "Koordinationsstelle",
            "planned": "59916.00",
            "actual": "50000.00",
        }
    ]
    assert client.get(detail(proof)).json()["version"] == proof.version


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "outsider"])
def test_strangers_see_nothing(world: World, personas, persona):
    proof = submitted(world, personas)
    client = api(getattr(personas, persona))
    assert client.get(LIST).json()["count"] == 0
    assert client.get(detail(proof)).status_code == 404
    assert client.patch(detail(proof), {"version": proof.version}, format="json").status_code == 404
    assert client.post(detail(proof, "submit/"), {"version": 1}, format="json").status_code == 404
    assert (
        client.post(detail(proof, "check/"), {"check_note": "x"}, format="json").status_code == 404
    )
    create = client.post(LIST, {"application": world.application.pk, "year": 2027}, format="json")
    assert create.status_code == 404


def test_filters(world: World, personas):
    opened(world, personas)
    client = api(personas.reviewer)
    assert client.get(LIST, {"year": 2027}).json()["count"] == 1
    assert client.get(LIST, {"year": 2028}).json()["count"] == 0
    assert client.get(LIST, {"status": "submitted"}).json()["count"] == 0
    assert client.get(LIST, {"application": world.application.pk}).json()["count"] == 1
    bad = client.get(LIST, {"status": "nonsense"})
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["details"]


def test_coordinator_opens_saves_and_submits(world: World, personas):
    client = api(personas.coordinator_a)
    created = client.post(LIST, {"application": world.application.pk, "year": 2027}, format="json")
    assert created.status_code == 201
    proof = created.json()
    again = client.post(LIST, {"application": world.application.pk, "year": 2027}, format="json")
    assert again.json()["id"] == proof["id"]
    url = f"{LIST}{proof['id']}/"
    refused = client.post(url + "submit/", {"version": proof["version"]}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "refused"
    assert "Sachbericht" in refused.json()["error"]["message"]
    saved = client.patch(
        url,
        {
            "version": proof["version"],
            "narrative": "Bericht",
            "lines": [{"id": proof["lines"][0]["id"], "actual": "50000.00"}],
        },
        format="json",
    )
    assert saved.status_code == 200
    assert saved.json()["lines"][0]["actual"] == "50000.00"
    assert saved.json()["actual_own_funds"] == "29958.00"
    stale = client.patch(url, {"version": proof["version"], "narrative": "alt"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    done = client.post(url + "submit/", {"version": saved.json()["version"]}, format="json")
    assert done.json()["status"] == ProofStatus.SUBMITTED


def test_viewer_and_reviewer_cannot_write_the_proof(world: World, personas):
    proof = opened(world, personas)
    for persona in ("viewer_a", "reviewer"):
        client = api(getattr(personas, persona))
        response = client.patch(detail(proof), {"version": proof.version}, format="json")
        assert response.status_code == 404


def test_reviewer_previews_and_checks(world: World, personas):
    proof = submitted(world, personas)
    pay_date = {"interest_until": "2028-09-30"}
    client = api(personas.reviewer)
    preview = client.post(detail(proof, "check/"), {**pay_date, "preview": True}, format="json")
    assert preview.status_code == 200
    assert preview.json()["final_grant"] == "25000.00"
    assert preview.json()["clawback"] == "4958.00"
    assert preview.json()["interest"] == "493.13"
    proof.refresh_from_db()
    assert proof.status == ProofStatus.SUBMITTED
    checked = client.post(
        detail(proof, "check/"), {**pay_date, "check_note": "Teilweise."}, format="json"
    )
    assert checked.status_code == 200
    body = checked.json()
    assert (body["status"], body["final_grant"], body["clawback_amount"]) == (
        "checked",
        "25000.00",
        "4958.00",
    )
    assert body["clawback_interest"] == "493.13"
    again = client.post(detail(proof, "check/"), {"check_note": "x"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "refused"


def test_only_reviewers_check_or_return(world: World, personas):
    proof = submitted(world, personas)
    for persona in ("coordinator_a", "viewer_a", "approver"):
        client = api(getattr(personas, persona))
        assert client.post(detail(proof, "check/"), {"check_note": "x"}).status_code == 403
        assert client.post(detail(proof, "return/"), {"message": "x"}).status_code == 403
    response = api(personas.reviewer).post(detail(proof, "return/"), {"message": "Belege"})
    assert response.json()["status"] == ProofStatus.DRAFT


def test_list_queries_do_not_grow_with_rows(world: World, personas, django_assert_max_num_queries):
    opened(world, personas)
    client = api(personas.coordinator_a)
    client.get(LIST)
    with django_assert_max_num_queries(10) as few:
        client.get(LIST)
    for number in range(6):
        application = ApplicationFactory(
            call=CallFactory(programme=world.application.call.programme),
            municipality=personas.municipality_a,
            created_by=personas.coordinator_a,
            status="approved",
            number=f"Z-{number}",
        )
        for year in (2027, 2028):
            planned_year(application, year)
            pay(application, year, GRANT, date(year, 3, 1), personas)
        decide(application, personas.approver, grants={2027: GRANT, 2028: GRANT})
        for year in (2027, 2028):
            proofs.open_proof(application=application, year=year, actor=personas.coordinator_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(LIST).json()
    assert body["count"] == 13
