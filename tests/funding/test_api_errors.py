"""One answer for refusals of the funding services on every funding endpoint: 409 `refused`
with the reasons, 409 `stale` for an outdated version, 400 `invalid` for field problems – and
the OpenAPI schema says so for every writing funding operation."""

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework.views import APIView

from funding.api.errors import FundingApiViewMixin, refusal
from funding.api.routes import ROUTES
from funding.services.errors import FundingError, StaleEditError
from tests.factories_funding import ApplicationFactory

WRITING = ("post", "put", "patch", "delete")


def answer(error: Exception):
    """What a funding viewset sends for the error (status and body), as a client sees it."""

    class Probe(FundingApiViewMixin, APIView):
        pass

    view = Probe()
    view.request = None
    response = view.handle_exception(error)
    return response.status_code, response.data["error"]


def test_refusal_is_409_refused_with_every_reason():
    status, error = answer(
        FundingError(["Der Sachbericht fehlt.", "Die Ist-Zahlen für 2027 fehlen."])
    )
    assert status == 409
    assert error["code"] == "refused"
    assert error["message"] == "Der Sachbericht fehlt. Die Ist-Zahlen für 2027 fehlen."
    assert error["details"] == {
        "reasons": ["Der Sachbericht fehlt.", "Die Ist-Zahlen für 2027 fehlen."]
    }


def test_a_service_code_is_passed_on_as_reason_code():
    status, error = answer(FundingError("Mehr als bewilligt.", code="overdraw"))
    assert (status, error["code"]) == (409, "refused")
    assert error["details"] == {"reasons": ["Mehr als bewilligt."], "reason_code": "overdraw"}


def test_stale_edit_is_409_stale():
    status, error = answer(StaleEditError("Der Antrag wurde inzwischen geändert."))
    assert (status, error["code"]) == (409, "stale")
    assert error["message"] == "Der Antrag wurde inzwischen geändert."


def test_field_errors_of_a_service_stay_400_invalid():
    status, error = answer(FundingError({"rate": ["Bitte den Fördersatz angeben."]}))
    assert (status, error["code"]) == (400, "invalid")
    assert error["details"] == {"rate": ["Bitte den Fördersatz angeben."]}


def test_refusal_keeps_plain_strings_for_json():
    # Lazy translations or ErrorDetail objects would break a JSON client's equality checks.
    error = refusal(FundingError("Nicht möglich."))
    assert json.dumps(error.details) == '{"reasons": ["Nicht m\\u00f6glich."]}'


@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES)
def test_every_funding_viewset_uses_the_one_mapping(prefix, viewset, basename):
    assert issubclass(viewset, FundingApiViewMixin), prefix


@pytest.mark.django_db
def test_endpoints_of_different_stages_answer_alike(personas):
    """A refusal of the applications stage and one of the review stage look the same."""
    application = ApplicationFactory(municipality=personas.municipality_a)
    coordinator = APIClient()
    coordinator.force_authenticate(personas.coordinator_a)
    submitted = coordinator.post(
        f"/api/v1/funding/applications/{application.pk}/submit/",
        {"version": application.version},
        format="json",
    )
    reviewer = APIClient()
    reviewer.force_authenticate(personas.reviewer)
    commented = reviewer.post(
        "/api/v1/funding/comments/", {"application": application.pk, "text": "Frage"}
    )
    stale = coordinator.patch(
        f"/api/v1/funding/applications/{application.pk}/",
        {"version": application.version + 1, "purpose": "Alt"},
        format="json",
    )
    for response in (submitted, commented):
        assert response.status_code == 409, response.content
        error = response.json()["error"]
        assert error["code"] == "refused"
        assert error["message"]
        assert error["details"]["reasons"]
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"


@pytest.mark.django_db
def test_schema_documents_409_on_every_writing_funding_operation(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    schema = json.loads(target.read_text())
    writing = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/funding/")
        for method, operation in methods.items()
        if method in WRITING
    ]
    assert len(writing) > 20
    for path, method, operation in writing:
        conflict = operation["responses"].get("409")
        assert conflict is not None, (path, method)
        content = conflict["content"]["application/json"]["schema"]
        assert content == {"$ref": "#/components/schemas/Error"}, (path, method)
    reads = schema["paths"]["/api/v1/funding/applications/"]["get"]["responses"]
    assert "409" not in reads
    generic = schema["paths"]["/api/v1/funding/proofs/{id}/submit/"]["post"]["responses"]["409"]
    assert "`stale`" in generic["description"]
    assert "`refused`" in generic["description"]
