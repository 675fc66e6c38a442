from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from monitoring.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue
from monitoring.models import Direction, Indicator, PeriodType, SpatialReference


@pytest.mark.django_db
def test_loads_22_indicators_with_mapped_choices():
    report = load_catalogue()
    assert (report.created, report.updated, report.unchanged) == (22, 0, 0)
    assert Indicator.objects.catalogue().count() == 22
    sgb2 = Indicator.objects.get(code="SGB2_U15")
    assert sgb2.period_type == PeriodType.CALENDAR_YEAR
    assert sgb2.period_note == "Stichtag 31.12."
    assert sgb2.spatial_reference == SpatialReference.RESIDENCE
    assert sgb2.direction == Direction.LOWER_IS_BETTER
    assert sgb2.min_cases == 3
    assert sgb2.numerator_within_denominator is True
    assert sgb2.value_max == 100
    assert "Kinderarmut" in sgb2.caveats
    assert Indicator.objects.get(code="UEBERGANG_GYM").period_type == PeriodType.SCHOOL_YEAR
    assert Indicator.objects.get(code="UEBERGANG_GYM").spatial_reference == (
        SpatialReference.FACILITY
    )
    assert Indicator.objects.get(code="SEU_SPRACHE").period_type == PeriodType.SCHOOL_ENTRY
    density = Indicator.objects.get(code="ANGEBOTSDICHTE")
    assert density.numerator_within_denominator is False
    assert density.value_max is None
    assert density.min_cases == 0
    assert Indicator.objects.get(code="KINDESWOHL_8A").numerator_within_denominator is False


@pytest.mark.django_db
def test_second_load_changes_nothing_and_repairs_edits():
    load_catalogue()
    Indicator.objects.filter(code="MASERN").update(name="verändert")
    report = load_catalogue()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 21)
    assert Indicator.objects.get(code="MASERN").name != "verändert"
    assert Indicator.objects.count() == 22


@pytest.mark.django_db
def test_broken_file_changes_nothing_and_names_lines(tmp_path: Path):
    lines = DEFAULT_CATALOGUE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("lower_is_better", "egal")
    lines[3] = lines[3].replace("Kalenderjahr", "Quartal", 1)
    broken = tmp_path / "katalog.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path=broken)
    text = " ".join(error.value.messages)
    assert "Zeile 3: Richtung „egal“ ist unbekannt" in text
    assert "Zeile 4: Zeitbezug „Quartal" in text
    assert Indicator.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_and_command_error(tmp_path: Path):
    broken = tmp_path / "katalog.csv"
    broken.write_text("code,name\nX,Y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Es fehlen Spalten: theme"):
        call_command("load_indicator_catalogue", file=broken)
    with pytest.raises(CommandError, match="fehlt"):
        call_command("load_indicator_catalogue", file=tmp_path / "gibt-es-nicht.csv")
    assert Indicator.objects.count() == 0
