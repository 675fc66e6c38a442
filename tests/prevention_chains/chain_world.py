"""Constructed chains for the chain view's tests: a municipality with Sozialräume, population
and the taxonomy terms the tests name (created by the factories, never the seeded rows)."""

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import SozialraumLevel, SozialraumPopulation
from tests.factories_chains import (
    FieldOfActionFactory,
    LifePhaseFactory,
    OfferingFactory,
    TargetGroupFactory,
)
from tests.factories_monitoring import SozialraumFactory


@dataclass
class ChainWorld:
    municipality: object
    early: object  # 0–3
    kita: object  # 3–6
    family: object
    health: object
    parents_group: object
    bezirk: object  # Stadtbezirk Mitte with nord and sued
    nord: object
    sued: object
    west: object  # a Sozialraum of its own


def build(municipality) -> ChainWorld:
    # The seeded terms' slugs and names: the factories get them, or create them if flushed.
    early = LifePhaseFactory(slug="fruehe-hilfen", name="0–3 Frühe Hilfen", age_from=0, age_to=3)
    kita = LifePhaseFactory(slug="kita", name="3–6 Kita", age_from=3, age_to=6)
    family = FieldOfActionFactory(slug="familie", name="Familie")
    health = FieldOfActionFactory(slug="gesundheit", name="Gesundheit")
    parents_group = TargetGroupFactory(slug="alleinerziehende", name="Alleinerziehende")
    bezirk = SozialraumFactory(
        municipality=municipality, code="1", name="Mitte", level=SozialraumLevel.STADTBEZIRK
    )
    nord = SozialraumFactory(municipality=municipality, code="11", name="Nord", parent=bezirk)
    sued = SozialraumFactory(municipality=municipality, code="12", name="Süd", parent=bezirk)
    west = SozialraumFactory(municipality=municipality, code="2", name="West")
    return ChainWorld(
        municipality, early, kita, family, health, parents_group, bezirk, nord, sued, west
    )


def offering(world: ChainWorld, title: str, *, phases, fields, areas=(), **kwargs):
    return OfferingFactory(
        municipality=world.municipality,
        title=title,
        life_phases=list(phases),
        fields_of_action=list(fields),
        sozialraeume=list(areas),
        **kwargs,
    )


def people(area, year: int, bands: list[tuple[int, int | None, int]]) -> None:
    SozialraumPopulation.objects.bulk_create(
        SozialraumPopulation(sozialraum=area, year=year, age_from=lo, age_to=hi, count=n)
        for lo, hi, n in bands
    )


def cell(matrix, phase, field_of_action):
    return next(c for c in matrix.cells if c.phase == phase and c.field == field_of_action)


# Who reads a municipality's chain (members, state office) and who gets 404.
READERS = [
    ("coordinator_a", 200),
    ("viewer_a", 200),
    ("companion_a", 200),
    ("reviewer", 200),
    ("state_admin", 200),
    ("coordinator_b", 404),
    ("outsider", 404),
]


def queries(client, url) -> int:
    """How many queries a successful GET of the page or endpoint takes."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]
    return len(captured)
