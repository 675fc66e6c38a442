"""/api/v1/observations/: permission matrix, suppression in JSON and CSV, filters."""

import csv
import io

import pytest

from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import StaleDisclosureGroup
from tests.api.conftest import error_of, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/observations/"


def rows(client, **params) -> list[dict]:
    response = client.get(URL, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def cell(result, code, area, period) -> dict:
    (row,) = [
        r
        for r in result
        if r["indicator"] == code and r["sozialraum"] == area and r["period"] == period
    ]
    return row


def test_coordinator_sees_raw_values_and_what_others_would_not(personas, mworld):
    result = rows(token_client(personas.coordinator_a), municipality=personas.municipality_a.ags)
    nord = cell(result, "SGB2", "01", 2022)
    assert (nord["numerator"], nord["denominator"], nord["value"]) == ("2.000", "40.000", "5.000")
    assert nord["suppressed"] is False
    assert nord["hidden_for_others"] is True
    assert nord["reason"] == "primary"
    total = cell(result, "SGB2", None, 2022)
    assert (total["numerator"], total["denominator"]) == ("97.000", "940.000")
    assert total["sozialraum_name"] == ""
    # 2 indicators: SGB2 (3 areas + total) × 2 years, KITA (3 areas + total) in 2022
    assert len(result) == 12


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a"])
def test_readers_see_suppressed_values_as_null_with_reason(personas, mworld, persona):
    result = rows(
        token_client(getattr(personas, persona)), municipality=personas.municipality_a.ags
    )
    nord = cell(result, "SGB2", "01", 2022)
    assert nord["value"] is None
    assert nord["numerator"] is None
    assert nord["denominator"] == "40.000"  # the base population stays visible
    assert (nord["suppressed"], nord["reason"]) == (True, "primary")
    mitte = cell(result, "SGB2", "02", 2022)
    assert (mitte["value"], mitte["suppressed"], mitte["reason"]) == (None, True, "secondary")
    sued = cell(result, "SGB2", "03", 2022)
    assert (sued["value"], sued["suppressed"], sued["hidden_for_others"]) == (
        "11.000",
        False,
        False,
    )
    assert cell(result, "SGB2", "01", 2021)["value"] == "10.000"
    # No suppressed numerator leaks anywhere in the body.
    assert all(r["numerator"] is None for r in result if r["suppressed"])


def test_state_office_sees_released_years_at_municipality_level_only(personas, mworld):
    for persona in ("reviewer", "approver", "state_admin"):
        result = rows(
            token_client(getattr(personas, persona)), municipality=personas.municipality_a.ags
        )
        assert {(r["indicator"], r["sozialraum"], r["period"]) for r in result} == {
            ("SGB2", None, 2022),
            ("KITA", None, 2022),
        }
        assert cell(result, "SGB2", None, 2022)["value"] == "10.319"


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_municipality_outside_rights_is_404(personas, mworld, persona):
    client = token_client(getattr(personas, persona))
    error_of(client.get(URL, {"municipality": personas.municipality_a.ags}), 404)


def test_municipality_is_required_and_checked(personas, mworld):
    client = token_client(personas.coordinator_a)
    error = error_of(client.get(URL), 400, "invalid")
    assert "AGS" in error["message"]
    error_of(client.get(URL, {"municipality": "059"}), 400)
    error_of(client.get(URL, {"municipality": "05999"}), 400)


def test_filters(personas, mworld):
    client = token_client(personas.viewer_a)
    ags = personas.municipality_a.ags
    result = rows(client, municipality=ags, indicator="KITA")
    assert {r["indicator"] for r in result} == {"KITA"}
    result = rows(client, municipality=ags, indicator="SGB2", sozialraum="01,03", totals="false")
    assert {(r["sozialraum"], r["period"]) for r in result} == {
        ("01", 2021),
        ("03", 2021),
        ("01", 2022),
        ("03", 2022),
    }
    # Filtering on areas does not change what is hidden: Mitte's secondary suppression stays
    # in force even though Mitte is not asked for, so Nord is still hidden.
    assert cell(result, "SGB2", "01", 2022)["suppressed"] is True
    result = rows(client, municipality=ags, indicator="SGB2", period_from=2022)
    assert {r["period"] for r in result} == {2022}
    result = rows(client, municipality=ags, period_to=2021)
    assert {r["period"] for r in result} == {2021}
    error = error_of(client.get(URL, {"municipality": ags, "indicator": "SGB2,NIX"}), 400)
    assert "NIX" in error["message"]
    # B's local indicator is not one of A's.
    error_of(client.get(URL, {"municipality": ags, "indicator": "LOKAL_B"}), 400)
    error = error_of(client.get(URL, {"municipality": ags, "sozialraum": "99"}), 400)
    assert "99" in error["message"]
    error_of(client.get(URL, {"municipality": ags, "period_from": 2022, "period_to": 2021}), 400)


def test_pagination(personas, mworld):
    client = token_client(personas.coordinator_a)
    response = client.get(URL, {"municipality": personas.municipality_a.ags, "page_size": 5})
    body = response.json()
    assert body["count"] == 12
    assert len(body["results"]) == 5
    assert body["next"]


def parse_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_marks_suppressed_cells_with_a_dot(personas, mworld):
    client = token_client(personas.viewer_a)
    response = client.get(URL, {"municipality": personas.municipality_a.ags, "format": "csv"})
    assert "beobachtungen.csv" in response["Content-Disposition"]
    table = parse_csv(response)
    assert len(table) == 12  # unpaginated
    nord = next(
        r for r in table if (r["indicator"], r["sozialraum"], r["period"]) == ("SGB2", "01", "2022")
    )
    assert (nord["numerator"], nord["value"], nord["denominator"]) == (".", ".", "40.000")
    assert (nord["suppressed"], nord["reason"]) == ("true", "primary")
    mitte = next(
        r for r in table if (r["indicator"], r["sozialraum"], r["period"]) == ("SGB2", "02", "2022")
    )
    assert (mitte["numerator"], mitte["value"]) == (".", ".")
    assert "2.000" not in response.content.decode()  # Nord's hidden numerator
    header = response.content.decode().splitlines()[0]
    assert header.startswith("indicator,indicator_name,sozialraum")


def test_csv_for_the_coordinator_has_raw_values(personas, mworld):
    client = token_client(personas.coordinator_a)
    table = parse_csv(
        client.get(URL, {"municipality": personas.municipality_a.ags, "format": "csv"})
    )
    nord = next(
        r for r in table if (r["indicator"], r["sozialraum"], r["period"]) == ("SGB2", "01", "2022")
    )
    assert (nord["numerator"], nord["value"], nord["suppressed"]) == ("2.000", "5.000", "false")


def test_csv_error_is_json(personas, mworld):
    client = token_client(personas.outsider)
    response = client.get(URL, {"municipality": personas.municipality_a.ags, "format": "csv"})
    error_of(response, 404)


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer"])
@pytest.mark.parametrize(
    "params",
    [{}, {"page_size": 1, "page": 2}, {"sozialraum": "01,03", "totals": "false"}],
)
def test_stored_cells_answer_exactly_as_the_fresh_computation(personas, mworld, persona, params):
    """The factory writes leave every group marked, so the first answer is computed afresh;
    after the refresh the same request reads the stored cells."""
    client = token_client(getattr(personas, persona))
    query = {"municipality": personas.municipality_a.ags, **params}
    computed = client.get(URL, query).json()
    assert computed["results"], computed
    assert StaleDisclosureGroup.objects.exists()
    refresh_disclosure()
    assert not StaleDisclosureGroup.objects.exists()
    assert client.get(URL, query).json() == computed


@pytest.mark.parametrize("page", ["4", "99999999999999999999999", "0", "x", "last"])
def test_pages_past_the_end_or_invalid_are_404_and_last_is_the_last(personas, mworld, page):
    refresh_disclosure()
    client = token_client(personas.viewer_a)
    response = client.get(
        URL, {"municipality": personas.municipality_a.ags, "page_size": 5, "page": page}
    )
    if page == "last":
        # 12 rows (SGB2: 2 years × (3 areas + total), KITA: 3 areas + total in 2022)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2
        assert response.json()["count"] == 12
    else:
        error_of(response, 404)
