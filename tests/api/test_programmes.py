"""Programmes with phases, participations, and the coverage figures of a programme."""

from datetime import date

import pytest
from django.utils import timezone

from tests.api.conftest import error_of
from tests.factories import ParticipationFactory


@pytest.mark.django_db
def test_programme_list_and_detail(reader, world):
    body = reader.get("/api/v1/programmes/").json()
    assert body["count"] == 1
    (programme,) = body["results"]
    assert programme == reader.get("/api/v1/programmes/kekiz/").json()
    assert programme["slug"] == "kekiz"
    assert programme["url"] == "http://testserver/api/v1/programmes/kekiz/"
    assert programme["name"] == "Kein Kind zurücklassen!"
    assert programme["participations_count"] == 4
    assert programme["phases"] == [
        {
            "name": "Modellvorhaben",
            "start_date": "2012-01-01",
            "end_date": "2015-12-31",
            "description": "",
        },
        {
            "name": "Landesinitiative",
            "start_date": "2017-01-01",
            "end_date": "2018-12-31",
            "description": "",
        },
    ]
    assert programme["participations_url"] == (
        "http://testserver/api/v1/participations/?programme=kekiz"
    )
    assert programme["coverage_url"] == "http://testserver/api/v1/programmes/kekiz/coverage/"


@pytest.mark.django_db
def test_participation_list(reader, world):
    body = reader.get("/api/v1/participations/").json()
    assert body["count"] == 4
    first = body["results"][0]
    assert set(first) == {
        "id",
        "programme",
        "municipality",
        "cohort",
        "joined_on",
        "left_on",
        "note",
    }
    # Ordered by programme, cohort, name.
    assert [(p["cohort"], p["municipality"]["short_name"]) for p in body["results"]] == [
        (2012, "Detmold"),
        (2012, "Hochsauerlandkreis"),
        (2017, "Arnsberg"),
        (2017, "Dortmund"),
    ]
    assert first["municipality"]["url"] == "http://testserver/api/v1/municipalities/05066020/"
    assert first["joined_on"] == "2012-01-01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"programme": "kekiz"}, {"05058", "05058004", "05013", "05066020"}),
        ({"cohort": 2012}, {"05058", "05066020"}),
        ({"municipality": "05013"}, {"05013"}),
        ({"municipality": "05058004"}, {"05058004"}),
        ({"municipality": "05011"}, {"05011"}),  # its kinderstark participation
        ({"municipality": "05058012"}, set()),
        ({"programme": "kekiz", "cohort": 2017}, {"05058004", "05013"}),
    ],
)
def test_participation_filters(reader, world, query, expected):
    ParticipationFactory(programme__slug="kinderstark", municipality=world.other_stadt, cohort=2022)
    response = reader.get("/api/v1/participations/", query)
    assert {p["municipality"]["ags"] for p in response.json()["results"]} == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"programme": "gibtsnicht"}, {"cohort": "2012a"}, {"municipality": "Dortmund"}]
)
def test_participation_filter_errors(reader, world, query):
    error = error_of(reader.get("/api/v1/participations/", query), 400, "invalid")
    assert list(error["details"]) == list(query)


@pytest.mark.django_db
def test_coverage_shape_and_figures(reader, world):
    """Hand-computed for the world in conftest (Stichtag 2020-12-31)."""
    response = reader.get("/api/v1/programmes/kekiz/coverage/", {"date": "2020-12-31"})
    assert response.status_code == 200
    body = response.json()
    notes = body.pop("notes")
    assert body == {
        "programme": "kekiz",
        "date": "2020-12-31",
        "participants": 4,
        "kreisfreie_staedte": {"covered": 1, "total": 2, "percent": "50.0"},
        "kreise": {"covered": 1, "total": 2, "percent": "50.0"},
        # Arnsberg and Brilon through their Kreis, Dortmund, Detmold; not Bielefeld.
        "gemeinden": {"covered": 4, "total": 5, "percent": "80.0"},
        # Hochsauerlandkreis 300,000 (Arnsberg inside, counted once) + Dortmund 200,000
        # + Detmold 10,000, of 650,000.
        "population": {
            "covered": {"lower": 510_000, "upper": 510_000, "estimate": None, "exact": True},
            "total": 650_000,
            "date": "2020-12-31",
            "percent": {"lower": "78.5", "upper": "78.5", "estimate": None, "exact": True},
        },
        # 54,000 + 30,000 exact; Detmold between 0 (Lippe's other 90,000 people could hold all
        # 20,000 children) and its 10,000 people; estimate at Lippe's share: 2,000.
        "population_under_18": {
            "covered": {"lower": 84_000, "upper": 94_000, "estimate": 86_000, "exact": False},
            "total": 112_000,
            "date": "2020-12-31",
            "percent": {"lower": "75.0", "upper": "83.9", "estimate": "76.8", "exact": False},
        },
        "counted_through_kreis": ["Arnsberg"],
        "under_18_estimated_for": ["Detmold"],
    }
    assert all(isinstance(note, str) and note for note in notes)
    assert any("Arnsberg" in note for note in notes)


@pytest.mark.django_db
def test_coverage_follows_the_date(reader, world):
    body = reader.get("/api/v1/programmes/kekiz/coverage/", {"date": "2013-06-30"}).json()
    assert body["date"] == "2013-06-30"
    assert body["participants"] == 2  # Hochsauerlandkreis and Detmold, cohort 2012


@pytest.mark.django_db
def test_coverage_defaults_to_today(reader, world):
    body = reader.get("/api/v1/programmes/kekiz/coverage/").json()
    assert body["date"] == timezone.localdate().isoformat()
    assert body["participants"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2020-02-30", "31.12.2020", "heute", "2020-12-31T00:00"])
def test_coverage_rejects_other_date_formats(reader, world, value):
    error = error_of(
        reader.get("/api/v1/programmes/kekiz/coverage/", {"date": value}), 400, "invalid"
    )
    assert error["message"] == (
        "Ungültiges Datum. Erwartet wird das Format JJJJ-MM-TT, z. B. 2020-12-31."
    )


@pytest.mark.django_db
def test_coverage_of_a_programme_without_participants(reader, world):
    ParticipationFactory(
        programme__slug="kinderstark", municipality=world.other_stadt, joined_on=date(2022, 1, 1)
    )
    body = reader.get("/api/v1/programmes/kinderstark/coverage/", {"date": "2020-12-31"}).json()
    assert body["participants"] == 0
    assert body["kreise"] == {"covered": 0, "total": 2, "percent": "0.0"}
