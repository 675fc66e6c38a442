import shutil
from pathlib import Path

import pytest
from django.db import connection

from municipalities.models import (
    Municipality,
    Participation,
    PopulationFigure,
    Programme,
    ProgrammePhase,
)
from municipalities.reference_data_loader import DEFAULT_DATA_DIR, load_reference_data

LOADED_MODELS = (Municipality, PopulationFigure, Programme, ProgrammePhase, Participation)


@pytest.fixture
def reference_data(db):
    """The real NRW data, loaded into this test's transaction (about half a second)."""
    return load_reference_data()


@pytest.fixture
def kekiz(reference_data) -> Programme:
    return Programme.objects.get(slug="kekiz")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the reference files, for tests that break one of them."""
    target = tmp_path / "reference_data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def table_checksums() -> dict[str, tuple[int, str]]:
    """Row count and an md5 over every column of every row, per loaded table: equal checksums
    mean not one value (nor an id) changed."""
    result = {}
    with connection.cursor() as cursor:
        for model in LOADED_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            # The table name comes from the model, never from input.
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "  # noqa: S608
                f"FROM {table} t"
            )
            result[model.__name__] = cursor.fetchone()
    return result
