"""The benchmark world generator builds a tenth first and then adds the rest."""

from benchmarks import monitoring_world
from monitoring.models import Observation
from municipalities.models import Sozialraum
from tests.factories import MunicipalityFactory


def test_fill_tenth_then_full(db):
    MunicipalityFactory.create_batch(3)
    tenth = monitoring_world.fill(scale=0.1)
    assert len(tenth.municipalities) == 1
    per_municipality = 25 * 22 * monitoring_world.YEARS
    assert tenth.observations == per_municipality
    full = monitoring_world.fill(scale=1.0)
    assert full.first == tenth.first
    assert full.observations == 2 * per_municipality
    assert Observation.objects.count() == 3 * per_municipality
    assert Sozialraum.objects.filter(parent__isnull=True).count() == 3 * 5
    leaf = Sozialraum.objects.filter(parent__isnull=False).first()
    assert leaf.boundary["type"] == "Polygon"
