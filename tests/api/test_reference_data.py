"""The API over the real NRW reference data (load_reference_data)."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from municipalities.coverage import compute_coverage
from municipalities.models import Programme
from tests.api.conftest import token_client
from tests.api.test_queries import AUTH, BOUNDS
from tests.factories import UserFactory


@pytest.mark.django_db
def test_api_over_the_nrw_reference_data(django_assert_max_num_queries):
    call_command("load_reference_data", verbosity=0)
    client = token_client(UserFactory())

    # All 427 rows in one page, at the same query cost as three rows.
    with django_assert_max_num_queries(AUTH + BOUNDS["/api/v1/municipalities/?page_size=500"]):
        body = client.get("/api/v1/municipalities/", {"page_size": 500}).json()
    assert body["count"] == 427  # 22 kreisfreie Städte, 30 Kreise, StädteRegion, 374 Gemeinden
    by_ags = {row["ags"]: row for row in body["results"]}
    assert by_ags["05958004"]["parent"]["ags"] == "05958"
    assert by_ags["05958004"]["participations"][0] == {
        "programme": "kekiz",
        "cohort": 2012,
        "joined_on": by_ags["05958004"]["participations"][0]["joined_on"],
        "left_on": None,
    }

    def count(**query):
        return client.get("/api/v1/municipalities/", query).json()["count"]

    assert count(kind="kreisfreie_stadt") == 22
    assert count(kind="kreis") == 30
    assert count(kind="staedteregion") == 1
    assert count(parent="05958") == 12  # Hochsauerlandkreis
    assert count(participating="true", programme="kekiz") == 40
    assert count(cohort=2012) == 18
    assert count(cohort=2017) == 22
    assert sum(count(regierungsbezirk=rb) for rb in ("051", "053", "055", "057", "059")) == 427

    assert client.get("/api/v1/participations/", {"programme": "kekiz"}).json()["count"] == 40

    boundary = client.get("/api/v1/municipalities/05958/boundary/")
    assert boundary.status_code == 200
    assert boundary.json()["geometry"]["type"] in {"Polygon", "MultiPolygon"}

    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/municipalities.csv").content.decode()))
    )
    assert len(rows) == 427

    # The API says what the portal computes, in the API's number format.
    coverage = client.get("/api/v1/programmes/kekiz/coverage/", {"date": "2020-12-31"}).json()
    expected = compute_coverage(Programme.objects.get(slug="kekiz"), date(2020, 12, 31))
    assert coverage["participants"] == expected.participants == 40
    assert coverage["kreisfreie_staedte"]["total"] == 22
    assert coverage["kreise"]["total"] == 31
    assert coverage["gemeinden"]["total"] == 396
    assert coverage["population"]["covered"]["lower"] == expected.population.lower
    assert coverage["population_under_18"]["covered"] == {
        "lower": expected.population_under_18.lower,
        "upper": expected.population_under_18.upper,
        "estimate": expected.population_under_18.estimate,
        "exact": expected.population_under_18.is_exact,
    }
    assert coverage["counted_through_kreis"] == list(expected.counted_through_kreis)
    share = coverage["kreisfreie_staedte"]
    assert share["percent"] == f"{100 * share['covered'] / 22:.1f}"
