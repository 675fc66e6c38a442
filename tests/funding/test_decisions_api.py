"""API v1 funding/decisions and funding/documents: rows, filters, constant queries, deciding,
refusals in the one error format, amendment, waiver, and the persona matrix."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from funding.models import Decision, DecisionKind
from funding.services import decisions, documents
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import GRANT, recommended_application, secure_2028

pytestmark = pytest.mark.django_db

dworld = test_decisions_world.dworld

DECISIONS = "/api/v1/funding/decisions/"
DOCUMENTS = "/api/v1/funding/documents/"


@pytest.fixture
def api():
    return APIClient()


def approve(application, approver):
    return decisions.decide(
        application=application,
        actor=approver,
        kind=DecisionKind.APPROVAL,
        grants=None,
        reasons="",
        forwarding_allowed=False,
    )


def test_row_with_years_and_document(api, personas, dworld):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    documents.render_document(decision.document.pk)
    api.force_authenticate(personas.viewer_a)
    body = api.get(DECISIONS).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["file_reference"] == "KeKiz-2027/0001"
    assert row["kind"] == "approval"
    assert row["municipality_ags"] == personas.municipality_a.ags
    assert row["years"] == [
        {"year": 2027, "eligible_costs": "59916.00", "grant": "29958.00"},
        {"year": 2028, "eligible_costs": "59916.00", "grant": "29958.00"},
    ]
    assert row["total_grant"] == "59916.00"
    assert row["period_start"] == "2027-01-01"
    assert row["document_status"] == "done"
    assert api.get(f"{DECISIONS}{decision.pk}/").json() == row
    document = api.get(f"{DOCUMENTS}{row['document']}/").json()
    assert document["status"] == "done"
    assert document["progress"] == 100
    assert document["download"].endswith(f"/foerderung/dokumente/{row['document']}/")


def test_filters(api, personas, dworld):
    secure_2028(dworld)
    approve(dworld.application, personas.approver)
    other = recommended_application(
        dworld.call, personas.municipality_b, personas.reviewer, years=(2028,)
    )
    approve(other, personas.approver)
    api.force_authenticate(personas.state_admin)

    def references(**params):
        return sorted(row["file_reference"] for row in api.get(DECISIONS, params).json()["results"])

    assert references() == ["KeKiz-2027/0001", "KeKiz-2028/0001"]
    assert references(year=2027) == ["KeKiz-2027/0001"]
    assert references(year=2028) == ["KeKiz-2027/0001", "KeKiz-2028/0001"]
    assert references(municipality=personas.municipality_b.ags) == ["KeKiz-2028/0001"]
    assert references(application=dworld.application.pk) == ["KeKiz-2027/0001"]


def test_list_queries_do_not_grow(api, personas, dworld, django_assert_max_num_queries):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    for grant in ("1000", "2000", "3000", "4000"):
        decision = decisions.amend(
            decision=decision,
            actor=personas.approver,
            grants={2027: Decimal(grant)},
            reasons="Änderung.",
        )
    api.force_authenticate(personas.coordinator_a)
    with django_assert_max_num_queries(8):
        body = api.get(DECISIONS).json()
    assert body["count"] == 5
    with django_assert_max_num_queries(8):
        assert api.get(DOCUMENTS).json()["count"] == 5


def test_approver_decides_over_the_api(api, personas, dworld):
    api.force_authenticate(personas.approver)
    refused = api.post(
        DECISIONS,
        {"application": dworld.application.pk, "kind": "approval"},
        format="json",
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "refused"
    assert "Für 2028 sind keine Haushaltsmittel gesichert" in error["message"]
    secure_2028(dworld)
    created = api.post(
        DECISIONS,
        {
            "application": dworld.application.pk,
            "kind": "partial_approval",
            "grants": {"2027": "20000.00", "2028": "0"},
            "reasons": "Kürzung.",
            "version": dworld.application.version,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    row = created.json()
    assert row["kind"] == "partial_approval"
    assert row["years"] == [{"year": 2027, "eligible_costs": "59916.00", "grant": "20000.00"}]
    again = api.post(
        DECISIONS, {"application": dworld.application.pk, "kind": "approval"}, format="json"
    )
    assert again.status_code == 409

    amended = api.post(
        f"{DECISIONS}{row['id']}/amend/",
        {"grants": {"2027": str(GRANT)}, "reasons": "Nachweis."},
        format="json",
    )
    assert amended.status_code == 201
    assert amended.json()["supersedes"] == row["id"]
    assert amended.json()["file_reference"] == "KeKiz-2027/0001-Ä1"
    assert api.get(f"{DECISIONS}{row['id']}/").json()["is_current"] is False


def test_stale_version_is_409_stale(api, personas, dworld):
    secure_2028(dworld)
    api.force_authenticate(personas.approver)
    response = api.post(
        DECISIONS,
        {"application": dworld.application.pk, "kind": "approval", "version": 99},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_a", 403),
        ("viewer_a", 403),
        ("reviewer", 403),
        ("state_admin", 403),
        ("coordinator_b", 404),
        ("researcher", 404),
        ("outsider", 404),
    ],
)
def test_only_approvers_decide(api, personas, dworld, persona, status):
    secure_2028(dworld)
    api.force_authenticate(getattr(personas, persona))
    response = api.post(
        DECISIONS, {"application": dworld.application.pk, "kind": "approval"}, format="json"
    )
    assert response.status_code == status
    assert "error" in response.json()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("persona", "read", "waive"),
    [
        ("coordinator_a", 200, 200),
        ("viewer_a", 200, 403),
        ("companion_a", 200, 403),
        ("approver", 200, 403),
        ("reviewer", 200, 403),
        ("coordinator_b", 404, 404),
        ("researcher", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_reading_and_waiver_matrix(api, personas, dworld, persona, read, waive):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    api.force_authenticate(getattr(personas, persona))
    assert api.get(f"{DECISIONS}{decision.pk}/").status_code == read
    assert api.get(f"{DOCUMENTS}{decision.document.pk}/").status_code == read
    listed = api.get(DECISIONS).json()["count"] if read == 200 else 0
    assert listed == (1 if read == 200 else 0)
    if read == 404:
        assert api.get(DECISIONS).json()["count"] == 0
        assert api.get(DOCUMENTS).json()["count"] == 0
    amend = api.post(
        f"{DECISIONS}{decision.pk}/amend/",
        {"grants": {"2027": "1.00"}, "reasons": "x"},
        format="json",
    )
    assert amend.status_code == (201 if persona == "approver" else 403 if read == 200 else 404)
    waiver = api.post(f"{DECISIONS}{decision.pk}/remedy-waiver/")
    if persona == "approver":
        # The amendment replaced the decision; its waiver is for the municipality anyway.
        assert waiver.status_code == 403
    else:
        assert waiver.status_code == waive
    if waive == 200:
        assert waiver.json()["remedy_waived_at"] is not None
