"""Fixtures for the API tests: clients per persona and a small NRW-like world."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from municipalities.models import MunicipalityKind, Regierungsbezirk
from tests.factories import (
    GemeindeFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammeFactory,
    ProgrammePhaseFactory,
    UserFactory,
    make_api_token,
)

PERSONA_NAMES = [
    "coordinator_a",
    "coordinator_b",
    "viewer_a",
    "companion_a",
    "reviewer",
    "approver",
    "state_admin",
    "researcher",
    "outsider",
]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF's throttles count in the cache; a test must not inherit another test's requests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def token_client(user, *, read_only=True) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user, read_only=read_only)}")
    return client


@pytest.fixture
def reader(db):
    """A client with a read-only token of a user without any role."""
    return token_client(UserFactory())


@dataclass
class World:
    programme: object
    kreis: object  # participates (2012)
    kreis_gemeinde: object  # inside the participating Kreis, participates too (2017)
    other_gemeinde: object  # inside kreis, not participating itself
    stadt: object  # kreisfreie Stadt, participates (2017)
    other_kreis: object  # Regierungsbezirk Detmold, not participating
    lone_gemeinde: object  # in other_kreis, participates alone (2012)
    other_stadt: object  # not participating, has a boundary


@pytest.fixture
def world(db) -> World:
    """A small world in the shape of NRW, with hand-checkable figures.

    Its AGS lie in 050xx, a range MunicipalityFactory's sequence never produces, so persona
    municipalities made in the same test cannot collide with them.

    Stichtag 2020-12-31 (totals / under 18): kreis 300,000 / 54,000; stadt 200,000 / 30,000;
    other_kreis 100,000 / 20,000; other_stadt 50,000 / 8,000. Gemeinden have totals only:
    kreis_gemeinde 60,000; other_gemeinde 40,000; lone_gemeinde 10,000.
    """
    programme = ProgrammeFactory(slug="kekiz", name="Kein Kind zurücklassen!", short_name="KeKiz")
    ProgrammePhaseFactory(
        programme=programme,
        name="Modellvorhaben",
        start_date=date(2012, 1, 1),
        end_date=date(2015, 12, 31),
    )
    ProgrammePhaseFactory(
        programme=programme,
        name="Landesinitiative",
        start_date=date(2017, 1, 1),
        end_date=date(2018, 12, 31),
    )
    square = {
        "type": "Polygon",
        "coordinates": [[[7.0, 51.0], [7.1, 51.0], [7.1, 51.1], [7.0, 51.1], [7.0, 51.0]]],
    }
    kreis = MunicipalityFactory(
        ags="05058",
        name="Hochsauerlandkreis",
        short_name="Hochsauerlandkreis",
        slug="hochsauerlandkreis",
        kind=MunicipalityKind.KREIS,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        boundary=square,
    )
    kreis_gemeinde = GemeindeFactory(
        ags="05058004",
        name="Arnsberg, Stadt",
        short_name="Arnsberg",
        slug="arnsberg",
        kind=MunicipalityKind.KREISANGEHOERIGE_STADT,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        parent=kreis,
    )
    other_gemeinde = GemeindeFactory(
        ags="05058012",
        name="Brilon, Stadt",
        short_name="Brilon",
        slug="brilon",
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        parent=kreis,
    )
    stadt = MunicipalityFactory(
        ags="05013",
        gemeinde_ags="05013000",
        name="Dortmund, Stadt",
        short_name="Dortmund",
        slug="dortmund",
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        boundary=square,
    )
    other_kreis = MunicipalityFactory(
        ags="05066",
        name="Lippe",
        short_name="Lippe",
        slug="lippe",
        kind=MunicipalityKind.KREIS,
        regierungsbezirk=Regierungsbezirk.DETMOLD,
        boundary=square,
    )
    lone_gemeinde = GemeindeFactory(
        ags="05066020",
        name="Detmold, Stadt",
        short_name="Detmold",
        slug="detmold",
        kind=MunicipalityKind.KREISANGEHOERIGE_STADT,
        regierungsbezirk=Regierungsbezirk.DETMOLD,
        parent=other_kreis,
    )
    other_stadt = MunicipalityFactory(
        ags="05011",
        gemeinde_ags="05011000",
        name="Bielefeld, Stadt",
        short_name="Bielefeld",
        slug="bielefeld",
        regierungsbezirk=Regierungsbezirk.DETMOLD,
        boundary=square,
    )
    stichtag = date(2020, 12, 31)
    for unit, total, under_18 in [
        (kreis, 300_000, 54_000),
        (stadt, 200_000, 30_000),
        (other_kreis, 100_000, 20_000),
        (other_stadt, 50_000, 8_000),
        (kreis_gemeinde, 60_000, None),
        (other_gemeinde, 40_000, None),
        (lone_gemeinde, 10_000, None),
    ]:
        PopulationFigureFactory(
            municipality=unit, reference_date=stichtag, total=total, under_18=under_18
        )
    # An older figure: the list must show the newest one.
    PopulationFigureFactory(
        municipality=stadt, reference_date=date(2017, 12, 31), total=190_000, under_18=29_000
    )
    for unit, cohort in [
        (kreis, 2012),
        (kreis_gemeinde, 2017),
        (stadt, 2017),
        (lone_gemeinde, 2012),
    ]:
        ParticipationFactory(
            programme=programme, municipality=unit, cohort=cohort, joined_on=date(cohort, 1, 1)
        )
    return World(
        programme=programme,
        kreis=kreis,
        kreis_gemeinde=kreis_gemeinde,
        other_gemeinde=other_gemeinde,
        stadt=stadt,
        other_kreis=other_kreis,
        lone_gemeinde=lone_gemeinde,
        other_stadt=other_stadt,
    )


def error_of(response, status: int, code: str | None = None) -> dict:
    """Assert the one error format and return its inner object."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"code", "message", "details"}
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error
