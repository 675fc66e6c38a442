"""Possible duplicates on constructed chains: known twins are found, distinct offerings are
not called twins."""

from decimal import Decimal

import pytest

from prevention_chains import chain, duplicates
from prevention_chains.models import OfferingStatus
from tests.prevention_chains.chain_world import build, offering

pytestmark = pytest.mark.django_db

CAFE_A = (
    "Offener Treff für Eltern mit Babys und Kleinkindern, jeden Mittwoch im Familienzentrum "
    "Nord, mit Hebamme."
)
CAFE_B = (
    "Treffpunkt für Eltern mit Babys und Kleinkindern im Familienzentrum Nord, mittwochs; eine "
    "Hebamme ist dabei."
)
SWIMMING = "Wassergewöhnung für Säuglinge mit einem Elternteil im Hallenbad, zehn Termine."


@pytest.fixture
def world(personas):
    return build(personas.municipality_a)


def _find(world):
    return duplicates.find_duplicates(
        world.municipality,
        areas=chain.current_areas(world.municipality),
        phases=[world.early, world.kita],
        fields=[world.family, world.health],
    )


def _twin(world, title, description, **kwargs):
    kwargs.setdefault("phases", [world.early])
    kwargs.setdefault("fields", [world.family])
    return offering(world, title, description=description, **kwargs)


def test_known_twins_are_found_with_their_reason(world):
    first = _twin(world, "Elterncafé im Familienzentrum Nord", CAFE_A, areas=[world.nord])
    second = _twin(world, "Eltern-Café Familienzentrum Nord", CAFE_B, areas=[world.nord])
    _twin(world, "Babyschwimmen", SWIMMING, areas=[world.nord])
    pairs = _find(world)
    assert [(p.first.id, p.second.id) for p in pairs] == [(first.pk, second.pk)]
    pair = pairs[0]
    assert pair.similarity >= duplicates.SIMILARITY_THRESHOLD
    assert pair.reason == (
        "gleiche Lebensphase „0–3 Frühe Hilfen“, gleiches Handlungsfeld „Familie“, "
        f"gleicher Sozialraum „Nord“, {pair.percent} % gleiche Begriffe"
    )


def test_whole_municipality_and_district_overlap_the_area(world):
    _twin(world, "Elterncafé im Familienzentrum Nord", CAFE_A)  # whole municipality
    _twin(world, "Eltern-Café Familienzentrum Nord", CAFE_B, areas=[world.west])
    _twin(world, "Elterncafé Nord", CAFE_A, areas=[world.bezirk], phases=[world.kita])
    _twin(world, "Eltern-Café Nord", CAFE_B, areas=[world.nord], phases=[world.kita])
    pairs = _find(world)
    by_phase = {p.phases[0]: p for p in pairs if len(p.phases) == 1}
    assert by_phase[world.early].whole_municipality
    assert "mindestens eines für die ganze Kommune" in by_phase[world.early].reason
    assert by_phase[world.kita].area_names == ["Nord"]  # Mitte holds Nord


@pytest.mark.parametrize(
    "second",
    [
        {"title": "Babyschwimmen im Hallenbad", "description": SWIMMING},  # another topic
        {"phases": "kita"},  # same text, another phase
        {"fields": "health"},  # same text, another field
        {"areas": "sued"},  # same text, a Sozialraum the first does not serve
        {"status": OfferingStatus.DRAFT},  # drafts are not the chain's supply
        {"status": OfferingStatus.ENDED},
    ],
)
def test_distinct_offerings_are_not_twins(world, second):
    _twin(world, "Elterncafé im Familienzentrum Nord", CAFE_A, areas=[world.nord])
    names = {"kita": world.kita, "health": world.health, "sued": world.sued}
    offering(
        world,
        second.get("title", "Eltern-Café Familienzentrum Nord"),
        description=second.get("description", CAFE_B),
        phases=[names.get(second.get("phases"), world.early)],
        fields=[names.get(second.get("fields"), world.family)],
        areas=[names.get(second.get("areas"), world.nord)],
        status=second.get("status", OfferingStatus.PUBLISHED),
    )
    assert _find(world) == []


def test_other_municipalities_are_not_compared(world, personas):
    _twin(world, "Elterncafé im Familienzentrum Nord", CAFE_A)
    other = build(personas.municipality_b)
    _twin(other, "Eltern-Café Familienzentrum Nord", CAFE_B)
    assert _find(world) == []


def test_threshold_is_applied_in_sql(world):
    _twin(world, "Elterncafé im Familienzentrum Nord", CAFE_A)
    _twin(world, "Eltern-Café Familienzentrum Nord", CAFE_B)
    found = _find(world)[0].similarity
    assert (
        duplicates.find_duplicates(
            world.municipality,
            areas=chain.current_areas(world.municipality),
            phases=[world.early],
            fields=[world.family],
            threshold=found + Decimal("0.01"),
        )
        == []
    )
