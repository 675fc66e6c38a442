"""/api/v1/indicators/ and /api/v1/sozialraeume/: who sees what, filters, GeoJSON."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import error_of, token_client

pytestmark = pytest.mark.django_db


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_anonymous_gets_401(mworld):
    for url in ("/api/v1/indicators/", "/api/v1/sozialraeume/", "/api/v1/observations/"):
        error_of(APIClient().get(url), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator_a", {"SGB2", "KITA"}),
        ("viewer_a", {"SGB2", "KITA"}),
        ("outsider", {"SGB2", "KITA"}),
        ("coordinator_b", {"SGB2", "KITA", "LOKAL_B"}),
        ("reviewer", {"SGB2", "KITA", "LOKAL_B"}),
    ],
)
def test_indicators_are_the_catalogue_and_own_local_ones(personas, mworld, persona, expected):
    client = token_client(getattr(personas, persona))
    assert codes(client.get("/api/v1/indicators/")) == expected


def test_indicator_carries_its_metadata_sheet(personas, mworld):
    row = token_client(personas.viewer_a).get(f"/api/v1/indicators/{mworld.indicator.pk}/").json()
    assert row["code"] == "SGB2"
    assert row["min_cases"] == 3
    assert row["factor"] == "100.000"
    assert row["municipality"] is None
    assert row["direction"] == "lower_is_better"
    assert row["source"] == "Testquelle"


def test_local_indicator_of_another_municipality_does_not_exist(personas, mworld):
    url = f"/api/v1/indicators/{mworld.local_b.pk}/"
    error_of(token_client(personas.coordinator_a).get(url), 404)
    error_of(token_client(personas.outsider).get(url), 404)
    assert token_client(personas.coordinator_b).get(url).json()["municipality"] == (
        personas.municipality_b.ags
    )
    error_of(token_client(personas.coordinator_b).get("/api/v1/indicators/999999/"), 404)


def test_indicator_filters(personas, mworld):
    client = token_client(personas.coordinator_b)
    assert codes(client.get("/api/v1/indicators/", {"theme": "bildung"})) == {"KITA"}
    assert codes(client.get("/api/v1/indicators/", {"life_phase": "3-6"})) == {"KITA"}
    assert codes(client.get("/api/v1/indicators/", {"catalogue": "false"})) == {"LOKAL_B"}
    ags_a, ags_b = personas.municipality_a.ags, personas.municipality_b.ags
    assert codes(client.get("/api/v1/indicators/", {"municipality": ags_a})) == {"SGB2", "KITA"}
    assert codes(client.get("/api/v1/indicators/", {"municipality": ags_b})) == {
        "SGB2",
        "KITA",
        "LOKAL_B",
    }
    error = error_of(client.get("/api/v1/indicators/", {"municipality": "05999"}), 400)
    assert "municipality" in error["details"]
    error_of(client.get("/api/v1/indicators/", {"catalogue": "vielleicht"}), 400)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator_a", {"A:01", "A:02", "A:03"}),
        ("viewer_a", {"A:01", "A:02", "A:03"}),
        ("companion_a", {"A:01", "A:02", "A:03"}),
        ("coordinator_b", {"B:01"}),
        ("reviewer", {"A:01", "A:02", "A:03", "B:01"}),
        ("outsider", set()),
        ("researcher", set()),
    ],
)
def test_sozialraeume_of_own_municipalities_only(personas, mworld, persona, expected):
    response = token_client(getattr(personas, persona)).get("/api/v1/sozialraeume/")
    assert response.status_code == 200
    names = {personas.municipality_a.ags: "A", personas.municipality_b.ags: "B"}
    assert {f"{names[r['municipality']]}:{r['code']}" for r in response.json()["results"]} == (
        expected
    )


def test_sozialraum_detail_outside_rights_is_404(personas, mworld):
    url = f"/api/v1/sozialraeume/{mworld.nord.pk}/"
    row = token_client(personas.viewer_a).get(url).json()
    assert (row["name"], row["has_boundary"]) == ("Nord", True)
    assert (
        token_client(personas.viewer_a)
        .get(f"/api/v1/sozialraeume/{mworld.mitte.pk}/")
        .json()["has_boundary"]
        is False
    )
    error_of(token_client(personas.coordinator_b).get(url), 404)
    error_of(token_client(personas.outsider).get(url), 404)


def test_sozialraum_filters(personas, mworld):
    from datetime import date

    from tests.factories_monitoring import SozialraumFactory

    # A re-cut: Nord until 2020 under an older boundary.
    SozialraumFactory(
        municipality=personas.municipality_a,
        code="01",
        name="Nord (alt)",
        valid_from=date(2000, 1, 1),
        valid_to=date(2009, 12, 31),
    )
    client = token_client(personas.reviewer)
    ags = personas.municipality_a.ags
    rows = client.get("/api/v1/sozialraeume/", {"municipality": ags}).json()["results"]
    assert [r["name"] for r in rows] == ["Nord (alt)", "Nord", "Mitte", "Süd"]
    rows = client.get(
        "/api/v1/sozialraeume/", {"municipality": ags, "valid_on": "2005-06-30"}
    ).json()["results"]
    assert [r["name"] for r in rows] == ["Nord (alt)"]
    error_of(client.get("/api/v1/sozialraeume/", {"valid_on": "30.06.2005"}), 400)


def test_geojson_feature_collection(personas, mworld):
    client = token_client(personas.viewer_a)
    ags = personas.municipality_a.ags
    response = client.get("/api/v1/sozialraeume/geojson/", {"municipality": ags})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    # Only Nord has a boundary.
    assert [f["properties"]["name"] for f in body["features"]] == ["Nord"]
    feature = body["features"][0]
    assert feature["id"] == mworld.nord.pk
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["municipality"] == ags


def test_geojson_needs_a_readable_municipality(personas, mworld):
    ags = personas.municipality_a.ags
    error_of(token_client(personas.viewer_a).get("/api/v1/sozialraeume/geojson/"), 400)
    for persona in ("coordinator_b", "outsider", "researcher"):
        client = token_client(getattr(personas, persona))
        error_of(client.get("/api/v1/sozialraeume/geojson/", {"municipality": ags}), 404)
    reviewer = token_client(personas.reviewer)
    assert reviewer.get("/api/v1/sozialraeume/geojson/", {"municipality": ags}).status_code == 200
