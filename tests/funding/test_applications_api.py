"""The application endpoints: rows, filters, CSV, constant queries, the full plan, writes with
optimistic locking and refusals in the one JSON error format, allow and deny for every persona."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from funding.models import ApplicationStatus
from tests.factories_funding import (
    ApplicationFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/funding/applications/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def call():
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5))
    FundingRuleFactory(programme=call.programme)
    return call


@pytest.fixture
def application(personas, call):
    application = ApplicationFactory(municipality=personas.municipality_a, call=call)
    planned_year(application, 2027)
    planned_year(application, 2028)
    return application


def test_list_rows_and_constant_queries(api, personas, call, django_assert_max_num_queries):
    for _ in range(3):
        planned_year(ApplicationFactory(municipality=personas.municipality_a), 2027)
    ApplicationFactory(municipality=personas.municipality_b)
    api.force_authenticate(personas.coordinator_a)
    with django_assert_max_num_queries(6):
        body = api.get(LIST).json()
    assert body["count"] == 3
    row = body["results"][0]
    assert row["municipality"] == {"ags": personas.municipality_a.ags, "name": "Kommune A"}
    assert row["years"] == [
        {"year": 2027, "eligible_costs": "59916.00", "requested_grant": "29958.00"}
    ]
    assert row["url"].endswith(f"/foerderung/antraege/{row['id']}/")
    for _ in range(20):
        planned_year(ApplicationFactory(municipality=personas.municipality_a), 2027)
    with django_assert_max_num_queries(6):
        assert api.get(LIST).json()["count"] == 23
    api.force_authenticate(personas.reviewer)
    assert api.get(LIST).json()["count"] == 24


def test_list_filters_and_csv(api, personas, application):
    ApplicationFactory(municipality=personas.municipality_a, status=ApplicationStatus.SUBMITTED)
    api.force_authenticate(personas.reviewer)
    assert api.get(LIST, {"status": "submitted"}).json()["count"] == 1
    assert api.get(LIST, {"year": 2028}).json()["count"] == 1
    assert api.get(LIST, {"call": application.call_id}).json()["count"] == 1
    assert api.get(LIST, {"municipality": personas.municipality_a.ags}).json()["count"] == 2
    assert api.get(LIST, {"municipality": personas.municipality_b.ags}).json()["count"] == 0
    bad = api.get(LIST, {"status": "unknown"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    csv = api.get(LIST, {"format": "csv", "call": application.call_id})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("id,number,municipality_ags")
    assert "2027 2028,119832.00,59916.00" in lines[1]


def test_retrieve_full_plan(api, personas, application):
    api.force_authenticate(personas.viewer_a)
    body = api.get(f"{LIST}{application.pk}/").json()
    year = body["years"][0]
    assert year["eligible_costs"] == "59916.00"
    assert year["requested_grant"] == "29958.00"
    assert year["co_financing"] == "29958.00"
    assert year["lines"][0]["category"] == "personnel"
    assert body["version"] == application.version
    assert body["submission_gaps"] == []  # gaps are for those who can act on them


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "outsider"])
def test_outsiders_get_404_everywhere(api, personas, application, persona):
    api.force_authenticate(getattr(personas, persona))
    base = f"{LIST}{application.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"version": 1, "purpose": "X"}, format="json").status_code == 404
    assert api.put(f"{base}plan/2027/", {}, format="json").status_code == 404
    assert api.post(f"{base}submit/", {"version": 1}, format="json").status_code == 404
    assert api.post(f"{base}withdraw/", {"reason": "x"}, format="json").status_code == 404
    assert api.get(LIST).json()["count"] == 0


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer", "approver"])
def test_readers_cannot_write(api, personas, application, persona):
    api.force_authenticate(getattr(personas, persona))
    base = f"{LIST}{application.pk}/"
    assert api.get(base).status_code == 200
    response = api.patch(base, {"version": application.version, "purpose": "X"}, format="json")
    assert response.status_code == 404
    assert api.post(f"{base}withdraw/", {"reason": "x"}, format="json").status_code == 404
    application.refresh_from_db()
    assert application.purpose != "X"


def test_anonymous_gets_401(api, application):
    assert api.get(LIST).status_code == 401
    assert api.get(f"{LIST}{application.pk}/").status_code == 401


def test_create_update_plan_submit_withdraw(api, personas, call):
    api.force_authenticate(personas.coordinator_a)
    response = api.post(
        LIST, {"call": call.pk, "municipality": personas.municipality_a.ags}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    base = f"{LIST}{body['id']}/"
    assert [year["year"] for year in body["years"]] == [2027, 2028]
    again = api.post(
        LIST, {"call": call.pk, "municipality": personas.municipality_a.ags}, format="json"
    )
    assert again.status_code == 409
    assert "bereits einen laufenden Antrag" in again.json()["error"]["message"]
    foreign = api.post(
        LIST, {"call": call.pk, "municipality": personas.municipality_b.ags}, format="json"
    )
    assert foreign.status_code == 404

    body = api.patch(base, {"version": body["version"], "purpose": "Koordination"}, format="json")
    body = body.json()
    assert body["purpose"] == "Koordination"
    stale = api.patch(base, {"version": body["version"] - 1, "purpose": "Alt"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"

    line = {
        "category": "personnel",
        "description": "Koordinationsstelle",
        "fte": "1.00",
        "months": 12,
        "monthly_cost": "4993.00",
    }
    for year in (2027, 2028):
        body = api.put(
            f"{base}plan/{year}/",
            {"version": body["version"], "own_funds": "29958.00", "lines": [line]},
            format="json",
        ).json()
    assert body["years"][1]["requested_grant"] == "29958.00"

    refused = api.post(f"{base}submit/", {"version": body["version"]}, format="json")
    assert refused.status_code == 409
    reasons = refused.json()["error"]["details"]["reasons"]
    assert any("Kofinanzierung" in reason for reason in reasons)

    withdrawn = api.post(f"{base}withdraw/", {"reason": "Neu gefasst"}, format="json")
    assert withdrawn.json()["status"] == "withdrawn"
