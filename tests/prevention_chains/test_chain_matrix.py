"""The chain matrix on constructed chains: counts, filters, known holes and thin cells."""

from decimal import Decimal

import pytest

from prevention_chains import chain
from prevention_chains.models import OfferingStatus
from tests.prevention_chains.chain_world import build, cell, offering, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas.municipality_a)


def _matrix(world, **kwargs):
    return chain.build_matrix(
        world.municipality,
        phases=[world.early, world.kita],
        fields=[world.family, world.health],
        **kwargs,
    )


def test_counts_only_current_offerings_and_finds_the_holes(world):
    offering(world, "Babytreff", phases=[world.early, world.kita], fields=[world.family])
    offering(
        world,
        "Pausierter Kurs",
        phases=[world.early],
        fields=[world.family],
        status=OfferingStatus.PAUSED,
    )
    offering(
        world, "Entwurf", phases=[world.early], fields=[world.health], status=OfferingStatus.DRAFT
    )
    offering(
        world, "Beendet", phases=[world.early], fields=[world.health], status=OfferingStatus.ENDED
    )
    matrix = _matrix(world)
    assert cell(matrix, world.early, world.family).count == 2
    assert cell(matrix, world.kita, world.family).count == 1
    holes = {(c.phase, c.field) for c in matrix.gaps}
    assert holes == {(world.early, world.health), (world.kita, world.health)}
    assert all(c.reason == "keine Angebote" for c in matrix.gaps)
    # rows are the fields, columns the phases in their order
    assert [r.field for r in matrix.rows] == [world.family, world.health]
    assert [c.phase for c in matrix.rows[0].cells] == [world.early, world.kita]


def test_sozialraum_filter_counts_whole_municipality_and_nested_areas(world):
    offering(world, "Für alle", phases=[world.early], fields=[world.family])
    offering(world, "Nur Nord", phases=[world.early], fields=[world.family], areas=[world.nord])
    offering(
        world, "Bezirk Mitte", phases=[world.early], fields=[world.family], areas=[world.bezirk]
    )
    offering(world, "Nur West", phases=[world.early], fields=[world.family], areas=[world.west])
    areas = chain.current_areas(world.municipality)
    counts = {
        area.name: cell(
            _matrix(world, areas=areas, sozialraum=area), world.early, world.family
        ).count
        for area in (world.nord, world.sued, world.west, world.bezirk)
    }
    # Nord: all + Nord + its Bezirk; Süd: all + Bezirk; West: all + West; Mitte: all + Nord + Mitte
    assert counts == {"Nord": 3, "Süd": 2, "West": 2, "Mitte": 3}
    assert cell(_matrix(world), world.early, world.family).count == 4


def test_target_group_filter(world):
    offering(
        world,
        "Für Alleinerziehende",
        phases=[world.early],
        fields=[world.family],
        target_groups=[world.parents_group],
    )
    offering(world, "Für alle", phases=[world.early], fields=[world.family])
    matrix = _matrix(world, target_group=world.parents_group)
    assert cell(matrix, world.early, world.family).count == 1


def test_without_population_one_offering_is_thin_and_children_unknown(world):
    offering(world, "Einzeln", phases=[world.early], fields=[world.family])
    offering(world, "Zwei a", phases=[world.kita], fields=[world.family])
    offering(world, "Zwei b", phases=[world.kita], fields=[world.family])
    matrix = _matrix(world)
    single = cell(matrix, world.early, world.family)
    assert single.is_thin
    assert "unbekannt" in single.reason
    assert not cell(matrix, world.kita, world.family).is_thin
    assert matrix.population_year is None


def test_thin_relative_to_children_with_proportional_bands(world):
    # Population bands 0–6 do not align with the phases: 0–3 gets half of each band.
    for area, count in ((world.nord, 2400), (world.sued, 1200), (world.west, 1080)):
        people(area, 2023, [(0, 6, count), (6, 18, 5000)])
    people(world.west, 2021, [(0, 6, 99999)])  # an older year does not count
    for n in range(5):
        offering(world, f"Familie {n}", phases=[world.early], fields=[world.family])
    offering(world, "Einzelne Gesundheit", phases=[world.early], fields=[world.health])
    matrix = _matrix(world)
    assert matrix.population_year == 2023
    assert matrix.children[world.early.pk] == Decimal(2340)  # (2400 + 1200 + 1080) / 2
    thin = cell(matrix, world.early, world.health)
    # 1 per 2,340 = 0.43 per 1,000: below the floor 0.5 and below half the median (1.28)
    assert thin.is_thin
    assert thin.rate == Decimal("0.43")
    assert thin.reason.startswith("1 Angebot für 2.340 Kinder von 0–3 Jahren")
    assert not cell(matrix, world.early, world.family).is_thin  # 5 / 2,340 = 2.14


def test_thin_below_half_the_median_of_the_phase(world):
    people(world.nord, 2023, [(0, 3, 100), (3, 6, 100)])
    people(world.sued, 2023, [(0, 3, 100), (3, 6, 100)])
    people(world.west, 2023, [(0, 3, 100), (3, 6, 100)])
    for n in range(6):
        offering(world, f"Viel {n}", phases=[world.early], fields=[world.family])
    offering(world, "Wenig", phases=[world.early], fields=[world.health])
    matrix = _matrix(world)
    # 6 and 1 per 300 children: 20 and 3.33 per 1,000, median 11.67, half of it 5.83
    assert cell(matrix, world.early, world.health).is_thin
    assert not cell(matrix, world.early, world.family).is_thin


def test_children_unknown_when_an_area_lacks_the_ages(world):
    people(world.nord, 2023, [(0, 3, 100)])
    people(world.sued, 2023, [(0, 3, 100)])
    # West has no figures for 2023: the sum over all areas is unknown …
    matrix = _matrix(world)
    assert matrix.children[world.early.pk] is None
    # … the sum for Nord alone is known
    areas = chain.current_areas(world.municipality)
    only_nord = _matrix(world, areas=areas, sozialraum=world.nord)
    assert only_nord.children[world.early.pk] == Decimal(100)
    assert only_nord.children[world.kita.pk] is None


def test_nested_bands_read_the_narrowest(world):
    people(world.west, 2023, [(0, 18, 1800), (0, 3, 300)])
    population = chain.population([world.west])
    assert population.children([world.west], 0, 3) == Decimal(300)
    assert population.children([world.west], 3, 6) == Decimal(300)  # 1800 / 18 × 3
    assert population.children([world.west], 0, 18) == Decimal(1800)
