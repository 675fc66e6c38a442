"""An import world on top of the personas: municipality A with four Sozialräume (04 only from
2020 on), catalogue indicators with the codes of the real catalogue, a local indicator of A,
and 2019 approved (locked). Helpers upload a file and run the check and the import the way
the tasks do."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.imports import checking, loading, services
from monitoring.models import ImportBatch
from tests.factories_monitoring import DataApprovalFactory, IndicatorFactory, SozialraumFactory

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class ImportWorld:
    municipality: object
    coordinator: object
    indicators: dict
    areas: dict


@pytest.fixture
def world(personas) -> ImportWorld:
    municipality = personas.municipality_a
    indicators = {
        code: IndicatorFactory(code=code, name=code.title())
        for code in ("SGB2_U15", "SGB2_U3", "BETREUUNG_U3")
    }
    indicators["LOKAL_FAMZENTRUM"] = IndicatorFactory(
        code="LOKAL_FAMZENTRUM",
        municipality=municipality,
        numerator_within_denominator=False,
    )
    # A local indicator of another municipality is unknown to A.
    IndicatorFactory(code="FREMD_B", municipality=personas.municipality_b)
    areas = {
        code: SozialraumFactory(municipality=municipality, code=code, name=f"Raum {code}")
        for code in ("01", "02", "03")
    }
    areas["04"] = SozialraumFactory(
        municipality=municipality, code="04", name="Neubaugebiet", valid_from=date(2020, 1, 1)
    )
    SozialraumFactory(municipality=personas.municipality_b, code="77")
    DataApprovalFactory(municipality=municipality, period=2019, approved_by=personas.coordinator_a)
    return ImportWorld(municipality, personas.coordinator_a, indicators, areas)


def fixture_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def upload(world, content, name="daten.csv") -> ImportBatch:
    """Upload and check (the check task's body, as the eager task would run it)."""
    file = content if isinstance(content, SimpleUploadedFile) else SimpleUploadedFile(name, content)
    batch = services.upload_file(
        actor=world.coordinator, municipality=world.municipality, file=file
    )
    checking.check_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def run_import(world, batch, only_valid_rows=False) -> ImportBatch:
    services.start_import(actor=world.coordinator, batch=batch, only_valid_rows=only_valid_rows)
    loading.import_batch(batch_id=batch.pk, actor_id=world.coordinator.pk)
    batch.refresh_from_db()
    return batch
