"""seed_demo's monitoring part: Sozialräume of Kreis Lippe with boundaries, population, values,
approvals; a second run changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from shapely.geometry import shape

from monitoring.models import DataApproval, DisclosedCell, Observation, StaleDisclosureGroup
from municipalities.geo import validate_geometry
from municipalities.models import MunicipalityKind, Regierungsbezirk, Sozialraum
from tests.factories import MunicipalityFactory, ParticipationFactory

# A rough pentagon where Kreis Lippe lies.
LIPPE = {
    "type": "Polygon",
    "coordinates": [
        [[8.61, 51.85], [9.0, 51.8], [9.34, 51.9], [9.2, 52.19], [8.7, 52.1], [8.61, 51.85]]
    ],
}


def seed():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


def snapshot():
    return (
        list(Sozialraum.objects.order_by("pk").values_list("pk", "code", "boundary")),
        list(Observation.objects.order_by("pk").values_list("pk", "numerator", "updated_at")),
        list(DataApproval.objects.order_by("pk").values_list("pk", "released_to_state_office")),
    )


def test_demo_monitoring_of_kreis_lippe(db):
    lippe = MunicipalityFactory(
        ags="05766",
        short_name="Kreis Lippe",
        kind=MunicipalityKind.KREIS,
        regierungsbezirk=Regierungsbezirk.DETMOLD,
        boundary=LIPPE,
    )
    herford = MunicipalityFactory(
        ags="05758", kind=MunicipalityKind.KREIS, regierungsbezirk=Regierungsbezirk.DETMOLD
    )
    for municipality in (lippe, herford):
        ParticipationFactory(municipality=municipality, cohort=2017)
    seed()
    areas = Sozialraum.objects.filter(municipality=lippe)
    assert areas.filter(level="sozialraum").count() == 8
    assert areas.filter(level="stadtbezirk").count() == 2
    outline = shape(LIPPE)
    for area in areas:
        assert "(Demo)" in area.name
        validate_geometry(area.boundary)
        assert outline.buffer(1e-9).contains(shape(area.boundary))
    assert Observation.objects.filter(sozialraum__municipality=lippe).count() == 7 * 8 * 8
    assert areas.filter(population__year=2023).distinct().count() == 8
    assert set(DataApproval.objects.values_list("period", flat=True)) == set(range(2016, 2022))
    assert DataApproval.objects.filter(released_to_state_office=True).count() == 5
    # The demo's disclosure results are stored, not left to be computed on every read.
    assert not StaleDisclosureGroup.objects.exists()
    assert DisclosedCell.objects.filter(municipality=lippe).exists()
    before = snapshot()
    seed()
    assert snapshot() == before
