"""An import stores the disclosure of every group it touched, in its own transaction."""

import pytest

from monitoring.models import DisclosedCell, ImportStatus, StaleDisclosureGroup
from tests.monitoring.cells import assert_cells_current, stored_cells
from tests.monitoring.imports.conftest import fixture_file, run_import, upload

pytestmark = pytest.mark.django_db


def test_an_import_leaves_the_stored_cells_current(world):
    batch = run_import(world, upload(world, fixture_file("itnrw_semikolon_bom.csv")))
    assert batch.status == ImportStatus.DONE, batch.summary
    assert_cells_current(world.municipality)
    sgb2 = world.indicators["SGB2_U15"]
    cells = stored_cells(world.municipality)[(sgb2.pk, 2022)]
    # 01–03 delivered, 04 (valid from 2020) not: the total is missing too.
    assert cells[world.areas["04"].pk][2] == "missing"


def test_a_second_import_changes_only_what_changed(world):
    run_import(world, upload(world, fixture_file("itnrw_semikolon_bom.csv")))
    before = set(DisclosedCell.objects.values_list("pk", flat=True))
    run_import(world, upload(world, fixture_file("itnrw_semikolon_bom.csv")))
    # Nothing changed, so no group was marked and no cell rewritten.
    assert set(DisclosedCell.objects.values_list("pk", flat=True)) == before
    assert not StaleDisclosureGroup.objects.exists()
