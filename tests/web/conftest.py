"""A small world for the page tests: a Kreis with Gemeinden, kreisfreie Städte, a programme
with two cohorts, population figures and boundaries, built with the factories.

Kreis-level AGS come from the factory sequence (a fixed one could clash with a persona's
municipality); the Gemeinden take their Kreis' AGS as prefix, as in reality."""

from datetime import date

import pytest
from django.core.cache import cache

from municipalities.models import MunicipalityKind, Regierungsbezirk
from municipalities.reference_data_loader import load_reference_data
from tests.factories import (
    GemeindeFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammeFactory,
    ProgrammePhaseFactory,
)


def square(lon: float, lat: float, size: float = 0.2) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The map is cached; a test must not see another test's drawing.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(description="Kommunale Präventionsketten in NRW.")
    ProgrammePhaseFactory(
        programme=programme,
        name="Modellvorhaben",
        start_date=date(2012, 3, 1),
        end_date=date(2015, 12, 31),
    )
    ProgrammePhaseFactory(
        programme=programme,
        name="Landesinitiative",
        start_date=date(2017, 1, 1),
        end_date=date(2018, 12, 31),
    )
    return programme


@pytest.fixture
def world(programme):
    """Kreis Musterland (2012) with Musterdorf and Beispielstadt; Großstadt (kreisfreie Stadt,
    2017); Kleinstadt in a non-participating Kreis (2017); Ruhigstadt takes no part."""
    kreis = MunicipalityFactory(
        name="Musterland",
        short_name="Kreis Musterland",
        slug="kreis-musterland",
        kind=MunicipalityKind.KREIS,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        boundary=square(7.5, 51.2),
    )
    other_kreis = MunicipalityFactory(
        name="Anderland",
        short_name="Kreis Anderland",
        slug="kreis-anderland",
        kind=MunicipalityKind.KREIS,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        boundary=square(7.8, 51.2),
    )
    grossstadt = MunicipalityFactory(
        name="Großstadt, Stadt",
        short_name="Großstadt",
        slug="grossstadt",
        kind=MunicipalityKind.KREISFREIE_STADT,
        regierungsbezirk=Regierungsbezirk.DUESSELDORF,
        boundary=square(6.8, 51.3),
    )
    ruhigstadt = MunicipalityFactory(
        name="Ruhigstadt, Stadt",
        short_name="Ruhigstadt",
        slug="ruhigstadt",
        kind=MunicipalityKind.KREISFREIE_STADT,
        regierungsbezirk=Regierungsbezirk.DUESSELDORF,
        boundary=square(6.6, 51.3),
    )
    musterdorf = GemeindeFactory(
        ags=f"{kreis.ags}001",
        name="Musterdorf",
        short_name="Musterdorf",
        slug="musterdorf",
        parent=kreis,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        longitude="7.55",
        latitude="51.25",
    )
    beispielstadt = GemeindeFactory(
        ags=f"{kreis.ags}002",
        name="Beispielstadt, Stadt",
        short_name="Beispielstadt",
        slug="beispielstadt",
        kind=MunicipalityKind.KREISANGEHOERIGE_STADT,
        parent=kreis,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        longitude="7.6",
        latitude="51.3",
    )
    kleinstadt = GemeindeFactory(
        ags=f"{other_kreis.ags}001",
        name="Kleinstadt, Stadt",
        short_name="Kleinstadt",
        slug="kleinstadt",
        kind=MunicipalityKind.KREISANGEHOERIGE_STADT,
        parent=other_kreis,
        regierungsbezirk=Regierungsbezirk.ARNSBERG,
        longitude="7.9",
        latitude="51.3",
    )
    figures = {
        kreis: (300_000, 50_000),
        other_kreis: (200_000, 30_000),
        grossstadt: (1_234_567, 200_000),
        ruhigstadt: (100_000, 15_000),
        musterdorf: (20_000, None),
        beispielstadt: (80_000, None),
        kleinstadt: (50_000, None),
    }
    for municipality, (total, under_18) in figures.items():
        PopulationFigureFactory(
            municipality=municipality,
            reference_date=date(2020, 12, 31),
            total=total,
            under_18=under_18,
        )
    ParticipationFactory(
        programme=programme, municipality=kreis, cohort=2012, joined_on=date(2012, 3, 1)
    )
    ParticipationFactory(
        programme=programme, municipality=grossstadt, cohort=2017, joined_on=date(2017, 1, 1)
    )
    ParticipationFactory(
        programme=programme, municipality=kleinstadt, cohort=2017, joined_on=date(2017, 1, 1)
    )
    return {
        "programme": programme,
        "kreis": kreis,
        "other_kreis": other_kreis,
        "grossstadt": grossstadt,
        "ruhigstadt": ruhigstadt,
        "musterdorf": musterdorf,
        "beispielstadt": beispielstadt,
        "kleinstadt": kleinstadt,
    }


@pytest.fixture
def reference_data(db):
    """The real NRW data (427 municipalities, 40 KeKiz participations)."""
    return load_reference_data()
