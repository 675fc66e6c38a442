"""The OpenAPI schema: valid, without generator warnings, and documented in German."""

import json

import pytest
from django.core.management import call_command


@pytest.fixture
def schema(tmp_path) -> dict:
    target = tmp_path / "schema.json"
    # --fail-on-warn turns every drf-spectacular warning (an unresolvable field, an untyped
    # filter) into a failure; --validate checks the result against the OpenAPI 3 spec.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(target),
    )
    return json.loads(target.read_text())


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.django_db
def test_schema_is_valid_and_complete(schema):
    assert set(schema["paths"]) == {
        "/api/v1/auth/token/",
        "/api/v1/programmes/",
        "/api/v1/programmes/{slug}/",
        "/api/v1/programmes/{slug}/coverage/",
        "/api/v1/participations/",
        "/api/v1/participations/{id}/",
        "/api/v1/municipalities/",
        "/api/v1/municipalities/{ags}/",
        "/api/v1/municipalities/{ags}/boundary/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/sozialraeume/",
        "/api/v1/sozialraeume/{id}/",
        "/api/v1/sozialraeume/geojson/",
        "/api/v1/observations/",
        "/api/v1/need-indices/",
        "/api/v1/need-indices/{id}/",
        "/api/v1/funding/applications/",
        "/api/v1/funding/applications/{id}/",
        "/api/v1/funding/applications/{id}/plan/{year}/",
        "/api/v1/funding/applications/{id}/submit/",
        "/api/v1/funding/applications/{id}/withdraw/",
        "/api/v1/funding/budgets/",
        "/api/v1/funding/budgets/{id}/",
        "/api/v1/funding/calls/",
        "/api/v1/funding/calls/{id}/",
        "/api/v1/funding/comments/",
        "/api/v1/funding/coverage/",
        "/api/v1/funding/decisions/",
        "/api/v1/funding/decisions/{id}/",
        "/api/v1/funding/decisions/{id}/amend/",
        "/api/v1/funding/decisions/{id}/remedy-waiver/",
        "/api/v1/funding/documents/",
        "/api/v1/funding/documents/{id}/",
        "/api/v1/funding/forwardings/",
        "/api/v1/funding/forwardings/{id}/",
        "/api/v1/funding/payment-requests/",
        "/api/v1/funding/payment-requests/{id}/",
        "/api/v1/funding/payment-requests/{id}/approve/",
        "/api/v1/funding/payment-requests/{id}/check/",
        "/api/v1/funding/payment-requests/{id}/reject/",
        "/api/v1/funding/payments/",
        "/api/v1/funding/payments/{id}/",
        "/api/v1/funding/proofs/",
        "/api/v1/funding/proofs/{id}/",
        "/api/v1/funding/proofs/{id}/check/",
        "/api/v1/funding/proofs/{id}/return/",
        "/api/v1/funding/proofs/{id}/submit/",
        "/api/v1/funding/review-queue/",
        "/api/v1/funding/reviews/{id}/",
        "/api/v1/funding/reviews/{id}/checklist/",
        "/api/v1/funding/reviews/{id}/recommend/",
        "/api/v1/funding/reviews/{id}/request-changes/",
        "/api/v1/funding/reviews/{id}/start/",
        "/api/v1/funding/rules/",
        "/api/v1/funding/rules/{id}/",
        "/api/v1/actor-types/",
        "/api/v1/actor-types/{slug}/",
        "/api/v1/actors/",
        "/api/v1/actors/{id}/",
        "/api/v1/chain-duplicates/{ags}/",
        "/api/v1/chain-matrices/{ags}/",
        "/api/v1/chain-supply/{ags}/",
        "/api/v1/cooperation-links/",
        "/api/v1/cooperation-links/{id}/",
        "/api/v1/fields-of-action/",
        "/api/v1/fields-of-action/{slug}/",
        "/api/v1/good-practices/",
        "/api/v1/good-practices/propose/",
        "/api/v1/good-practices/{id}/",
        "/api/v1/good-practices/{id}/adopt/",
        "/api/v1/good-practices/{id}/publish/",
        "/api/v1/good-practices/{id}/reject/",
        "/api/v1/good-practices/{id}/withdraw/",
        "/api/v1/goal-indicators/",
        "/api/v1/goal-indicators/{id}/",
        "/api/v1/leitbild-goals/",
        "/api/v1/leitbild-goals/{id}/",
        "/api/v1/leitbilder/",
        "/api/v1/leitbilder/{id}/",
        "/api/v1/leitbilder/{id}/adopt/",
        "/api/v1/leitbilder/{id}/new-version/",
        "/api/v1/life-phases/",
        "/api/v1/life-phases/{slug}/",
        "/api/v1/network-metrics/{municipality}/",
        "/api/v1/networks/",
        "/api/v1/networks/{id}/",
        "/api/v1/networks/{id}/members/",
        "/api/v1/networks/{id}/members/{actor_id}/",
        "/api/v1/offerings/",
        "/api/v1/offerings/{id}/",
        "/api/v1/offerings/{id}/confirm/",
        "/api/v1/target-groups/",
        "/api/v1/target-groups/{slug}/",
    }


@pytest.mark.django_db
def test_every_operation_is_described_in_german(schema):
    german_tags = {
        "Authentifizierung",
        "Programme",
        "Teilnahmen",
        "Kommunen",
        "Monitoring",
        "Förderung",
        "Förderung: Verwaltung",
        "Präventionskette",
        "Präventionskette: Akteure und Netzwerke",
        "Präventionskette: Angebote",
        "Präventionskette: Begriffslisten",
    }
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (path, method)
        assert operation.get("description"), (path, method)
        assert set(operation["tags"]) <= german_tags, (path, method)
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if "$ref" in spec:
                continue
            assert spec.get("description") or spec.get("title"), (name, field)


@pytest.mark.django_db
def test_every_operation_documents_the_error_format(schema):
    for path, _method, operation in operations(schema):
        for status in ("401", "403", "429"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, status)
        if "{" in path:
            assert "404" in operation["responses"], path
    coverage = schema["paths"]["/api/v1/programmes/{slug}/coverage/"]["get"]
    assert "JJJJ-MM-TT" in coverage["responses"]["400"]["description"]
    assert {p["name"] for p in coverage["parameters"]} == {"slug", "date"}


@pytest.mark.django_db
def test_csv_export_and_token_endpoint_are_documented(schema):
    municipalities = schema["paths"]["/api/v1/municipalities/"]["get"]
    assert "format=csv" in municipalities["description"]
    assert "text/csv" in municipalities["responses"]["200"]["content"]
    observations = schema["paths"]["/api/v1/observations/"]["get"]
    assert "format=csv" in observations["description"]
    assert "text/csv" in observations["responses"]["200"]["content"]
    municipality = next(p for p in observations["parameters"] if p["name"] == "municipality")
    assert municipality["required"] is True
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "201" in token["responses"]
    assert "AXES_FAILURE_LIMIT" in token["description"]
    assert "Zwei-Faktor" in token["description"]


@pytest.mark.django_db
def test_schema_endpoint_serves_the_same_schema(api, schema):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["paths"].keys() == schema["paths"].keys()


def test_schema_is_served_as_json_by_default(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json()["openapi"].startswith("3.")
