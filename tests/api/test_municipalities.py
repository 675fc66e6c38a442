"""The municipality list and detail: fields, filters, pagination, boundary and CSV."""

import csv
import io
from datetime import date

import pytest

from tests.api.conftest import error_of
from tests.factories import MunicipalityFactory, ParticipationFactory

LIST = "/api/v1/municipalities/"


def ags_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["ags"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_list_row_shape(reader, world):
    response = reader.get(LIST, {"search": "Arnsberg"})
    (row,) = response.json()["results"]
    assert row["ags"] == "05058004"
    assert row["url"] == "http://testserver/api/v1/municipalities/05058004/"
    assert row["kind"] == "kreisangehoerige_stadt"
    assert row["kind_label"] == "kreisangehörige Stadt"
    assert row["regierungsbezirk"] == "059"
    assert row["regierungsbezirk_name"] == "Arnsberg"
    assert row["parent"] == {
        "ags": "05058",
        "name": "Hochsauerlandkreis",
        "short_name": "Hochsauerlandkreis",
        "kind": "kreis",
        "url": "http://testserver/api/v1/municipalities/05058/",
    }
    assert row["population"] == {"date": "2020-12-31", "total": 60_000}
    assert row["population_under_18"] is None  # not published for single Gemeinden
    assert row["participations"] == [
        {"programme": "kekiz", "cohort": 2017, "joined_on": "2017-01-01", "left_on": None}
    ]
    assert "boundary" not in row


@pytest.mark.django_db
def test_list_shows_the_newest_figures(reader, world):
    (row,) = reader.get(LIST, {"search": "Dortmund"}).json()["results"]
    assert row["population"] == {"date": "2020-12-31", "total": 200_000}
    assert row["population_under_18"] == {"date": "2020-12-31", "under_18": 30_000}
    assert row["parent"] is None


@pytest.mark.django_db
def test_list_is_paginated(reader, world):
    body = reader.get(LIST, {"page_size": 3}).json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/municipalities/?page=2&page_size=3"
    last = reader.get(LIST, {"page_size": 3, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert last["previous"] is not None


@pytest.mark.django_db
def test_default_order_is_by_name(reader, world):
    names = [row["short_name"] for row in reader.get(LIST).json()["results"]]
    assert names == sorted(names)
    assert ags_of(reader.get(LIST, {"ordering": "-ags"}))[0] == "05066020"
    MunicipalityFactory(ags="05012", short_name="Dortmund", slug="dortmund-2")
    same_name = [
        a for a in ags_of(reader.get(LIST, {"ordering": "-name"})) if a in {"05012", "05013"}
    ]
    assert same_name == ["05012", "05013"]  # ties broken by AGS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "kreis"}, {"05058", "05066"}),
        ({"kind": "kreisfreie_stadt"}, {"05013", "05011"}),
        ({"regierungsbezirk": "057"}, {"05066", "05066020", "05011"}),
        ({"parent": "05058"}, {"05058004", "05058012"}),
        ({"search": "arns"}, {"05058004"}),
        ({"search": "05066"}, {"05066", "05066020"}),
        ({"participating": "true"}, {"05058", "05058004", "05013", "05066020"}),
        ({"participating": "false"}, {"05058012", "05066", "05011"}),
        (
            {"participating": "true", "programme": "kekiz"},
            {"05058", "05058004", "05013", "05066020"},
        ),
        ({"cohort": "2012"}, {"05058", "05066020"}),
        ({"programme": "kekiz"}, {"05058", "05058004", "05013", "05066020"}),
        ({"kind": "kreis", "participating": "true"}, {"05058"}),
        # Before anyone joined, nobody participated.
        ({"participating": "true", "date": "2011-12-31"}, set()),
        ({"participating": "true", "date": "2013-06-30"}, {"05058", "05066020"}),
    ],
)
def test_filters(reader, world, query, expected):
    assert set(ags_of(reader.get(LIST, {**query, "page_size": 100}))) == expected


@pytest.mark.django_db
def test_participating_respects_the_programme(reader, world):
    other = ParticipationFactory(
        programme__slug="kinderstark",
        programme__name="kinderstark – NRW schafft Chancen",
        municipality=world.other_stadt,
        cohort=2022,
        joined_on=date(2022, 1, 1),
    ).programme
    assert ags_of(reader.get(LIST, {"participating": "true", "programme": other.slug})) == ["05011"]
    assert "05011" in ags_of(reader.get(LIST, {"participating": "true"}))
    assert "05011" not in ags_of(reader.get(LIST, {"participating": "true", "programme": "kekiz"}))


@pytest.mark.django_db
def test_participating_ends_with_left_on(reader, world):
    world.stadt.participations.update(left_on=date(2021, 1, 1))
    assert "05013" in ags_of(reader.get(LIST, {"participating": "true", "date": "2020-12-31"}))
    assert "05013" not in ags_of(reader.get(LIST, {"participating": "true", "date": "2021-01-01"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"participating": "ja"}, "participating"),
        ({"programme": "gibtsnicht"}, "programme"),
        ({"cohort": "zwanzig"}, "cohort"),
        ({"date": "2020-13-01"}, "date"),
        ({"parent": "05058004"}, "parent"),
        ({"regierungsbezirk": "Arnsberg"}, "regierungsbezirk"),
        ({"ordering": "population"}, "ordering"),
    ],
)
def test_invalid_filter_values_are_400(reader, world, query, field):
    error = error_of(reader.get(LIST, query), 400, "invalid")
    assert list(error["details"]) == [field]


@pytest.mark.django_db
def test_detail(reader, world):
    body = reader.get("/api/v1/municipalities/05058/").json()
    assert body["ags"] == "05058"
    assert body["kind"] == "kreis"
    assert [g["ags"] for g in body["gemeinden"]] == ["05058004", "05058012"]
    assert body["population_series"] == [
        {"date": "2020-12-31", "total": 300_000, "under_18": 54_000, "source": "Testdaten"}
    ]
    assert body["boundary_url"] == "http://testserver/api/v1/municipalities/05058/boundary/"
    assert "boundary" not in body


@pytest.mark.django_db
def test_detail_has_the_whole_population_series(reader, world):
    body = reader.get("/api/v1/municipalities/05013/").json()
    assert [(f["date"], f["total"]) for f in body["population_series"]] == [
        ("2017-12-31", 190_000),
        ("2020-12-31", 200_000),
    ]
    assert body["population"] == {"date": "2020-12-31", "total": 200_000}
    assert body["gemeinden"] == []


@pytest.mark.django_db
def test_gemeinde_has_no_boundary(reader, world):
    assert reader.get("/api/v1/municipalities/05058004/").json()["boundary_url"] is None


@pytest.mark.django_db
def test_boundary_is_a_geojson_feature(reader, world):
    response = reader.get("/api/v1/municipalities/05058/boundary/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == "05058"
    assert feature["properties"] == {"ags": "05058", "name": "Hochsauerlandkreis", "kind": "kreis"}
    assert feature["geometry"] == world.kreis.boundary


@pytest.mark.django_db
def test_boundary_as_plain_json_on_request(reader, world):
    response = reader.get("/api/v1/municipalities/05058/boundary/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "Feature"


@pytest.mark.django_db
def test_csv_export_has_all_filtered_rows_without_pages(reader, world):
    MunicipalityFactory.create_batch(60)  # more than one page of the JSON list
    response = reader.get(LIST, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kommunen.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 67
    arnsberg = next(row for row in rows if row["ags"] == "05058004")
    assert arnsberg == {
        "ags": "05058004",
        "name": "Arnsberg, Stadt",
        "short_name": "Arnsberg",
        "kind": "kreisangehoerige_stadt",
        "regierungsbezirk": "059",
        "parent_ags": "05058",
        "parent_name": "Hochsauerlandkreis",
        "area_km2": "",
        "population_date": "2020-12-31",
        "population": "60000",
        "population_under_18_date": "",
        "population_under_18": "",
        "programmes": "kekiz:2017",
    }


@pytest.mark.django_db
def test_csv_export_applies_filters_and_keeps_the_header_when_empty(reader, world):
    response = reader.get(LIST, {"format": "csv", "kind": "kreis"}, HTTP_ACCEPT="text/csv")
    assert [row["ags"] for row in csv.DictReader(io.StringIO(response.content.decode()))] == [
        "05058",
        "05066",
    ]
    empty = reader.get(LIST, {"format": "csv", "search": "Atlantis"})
    assert empty.content.decode().strip() == (
        "ags,name,short_name,kind,regierungsbezirk,parent_ags,parent_name,area_km2,"
        "population_date,population,population_under_18_date,population_under_18,programmes"
    )


@pytest.mark.django_db
def test_csv_by_accept_header(reader, world):
    response = reader.get(LIST, HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_csv_cells_cannot_become_formulas(reader, world):
    MunicipalityFactory(short_name="=HYPERLINK(1)", name="=HYPERLINK(1)")
    text = reader.get(LIST, {"format": "csv", "search": "HYPERLINK"}).content.decode()
    assert "'=HYPERLINK(1)" in text
