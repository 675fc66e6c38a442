"""Messy real-format files: what is read, and the errors with their line numbers."""

from decimal import Decimal

import pytest

from monitoring.models import ImportStatus, Observation, ObservationStatus
from monitoring.services import MonitoringError
from tests.monitoring.imports.conftest import fixture_file, run_import, upload


def values(world):
    return {
        (o.indicator.code, o.sozialraum.code, o.period): (o.numerator, o.denominator, o.status)
        for o in Observation.objects.select_related("indicator", "sozialraum")
    }


def issues(batch):
    return [(i.line, i.column, i.message) for i in batch.issues.order_by("line", "pk")]


def test_it_nrw_file_with_bom_title_lines_marks_and_footnote(world):
    batch = upload(world, fixture_file("itnrw_semikolon_bom.csv"))
    assert batch.status == ImportStatus.CHECKED, batch.summary
    assert batch.summary["header_line"] == 4
    assert "Semikolon" in batch.summary["format"]
    assert "BOM" in batch.summary["format"]
    assert batch.summary["skipped_notes"] == 1
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (7, 7, 0)
    assert batch.summary["preview"] == {"created": 7, "updated": 0, "unchanged": 0}
    assert not Observation.objects.exists()  # the check writes nothing

    batch = run_import(world, batch)
    assert batch.status == ImportStatus.DONE, batch.summary
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (7, 0, 0)
    stored = values(world)
    assert stored[("SGB2_U15", "01", 2022)] == (Decimal(412), Decimal(1234), "reported")
    assert stored[("SGB2_U15", "02", 2022)] == (Decimal(1015), Decimal(3210), "reported")
    assert stored[("SGB2_U15", "03", 2022)] == (Decimal(0), Decimal(845), "reported")
    assert stored[("SGB2_U3", "01", 2022)] == (None, None, ObservationStatus.SECRET)
    assert stored[("SGB2_U3", "02", 2022)] == (None, None, ObservationStatus.SECRET)
    assert stored[("SGB2_U3", "03", 2022)] == (None, None, ObservationStatus.MISSING)
    assert stored[("BETREUUNG_U3", "01", 2023)] == (Decimal("87.5"), Decimal(200), "reported")
    assert set(Observation.objects.values_list("import_batch", flat=True)) == {batch.pk}
    assert set(Observation.objects.values_list("updated_by", flat=True)) == {world.coordinator.pk}


def test_windows_1252_tab_separated(world):
    batch = upload(world, fixture_file("windows1252_tab.csv"))
    assert batch.status == ImportStatus.CHECKED, batch.summary
    assert "Windows-1252" in batch.summary["format"]
    assert "Tabulator" in batch.summary["format"]
    assert (batch.valid_rows, batch.error_rows) == (3, 0)


def test_comma_separated_with_quoted_german_numbers_and_local_indicator(world):
    batch = run_import(world, upload(world, fixture_file("komma_utf8.csv")))
    assert batch.status == ImportStatus.DONE, batch.summary
    stored = values(world)
    assert stored[("LOKAL_FAMZENTRUM", "01", 2022)] == (
        Decimal("1234.5"),
        Decimal(2000),
        "reported",
    )
    assert stored[("SGB2_U15", "01", 2020)] == (Decimal(350), Decimal(1100), "reported")


def test_utf16_with_bom_from_excel_unicode_text(world):
    batch = upload(world, fixture_file("excel_unicode_text.txt"))
    assert batch.status == ImportStatus.CHECKED, batch.summary
    assert batch.valid_rows == 1


def test_every_row_error_with_line_and_reason(world):
    batch = upload(world, fixture_file("fehlerhaft.csv"))
    assert batch.status == ImportStatus.CHECKED
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (12, 1, 11)
    found = issues(batch)
    by_line = {}
    for line, column, message in found:
        by_line.setdefault(line, []).append((column, message))
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "Unbekannter Indikator „GIBTESNICHT“" in by_line[3][0][1]
    assert by_line[4][0][0] == "Sozialraum"
    assert "„99“" in by_line[4][0][1]
    assert "„zweitausend“ ist kein Jahr" in by_line[5][0][1]
    assert by_line[6][0][0] == "Zähler"
    assert "„viele“ ist keine Zahl" in by_line[6][0][1]
    assert "größer als der Nenner" in by_line[7][0][1]
    assert "1890 ist kein plausibles Jahr" in by_line[8][0][1]
    assert "Negative Zahl" in by_line[9][0][1]
    assert "auch in Zeile 11" in by_line[10][0][1]
    assert "auch in Zeile 10" in by_line[11][0][1]
    assert "gab es am 31.12.2015 nicht" in by_line[12][0][1]
    assert "2019 ist freigegeben" in by_line[13][0][1]


def test_file_with_errors_is_not_imported_unless_confirmed(world):
    batch = upload(world, fixture_file("fehlerhaft.csv"))
    with pytest.raises(MonitoringError, match="fehlerhafte Zeilen"):
        run_import(world, batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert not Observation.objects.exists()


def test_only_valid_rows_imports_exactly_the_valid_rows(world):
    batch = run_import(world, upload(world, fixture_file("fehlerhaft.csv")), only_valid_rows=True)
    assert batch.status == ImportStatus.DONE, batch.summary
    assert values(world) == {("SGB2_U15", "01", 2022): (Decimal(100), Decimal(1000), "reported")}
    assert (batch.rows_created, batch.error_rows) == (1, 11)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fehlende_spalte.csv", "Der Kopfzeile fehlt: Nenner"),
        ("keine_tabelle.csv", "keine Kopfzeile gefunden"),
        ("falsche_kodierung.csv", "Zeichenkodierung der Datei wurde nicht erkannt"),
    ],
)
def test_unreadable_files_fail_the_check_with_a_clear_message(world, name, message):
    batch = upload(world, fixture_file(name))
    assert batch.status == ImportStatus.FAILED
    assert message in batch.summary["error"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("tabelle.pdf", "PDF-Datei"), ("utf16_ohne_bom.csv", "keine Textdatei")],
)
def test_files_that_are_not_tables_are_refused_at_upload(world, name, message):
    with pytest.raises(MonitoringError, match=message):
        upload(world, fixture_file(name))


def test_reimport_is_idempotent(world):
    first = run_import(world, upload(world, fixture_file("itnrw_semikolon_bom.csv")))
    before = values(world)
    second = upload(world, fixture_file("itnrw_semikolon_bom.csv"))
    assert second.summary["preview"] == {"created": 0, "updated": 0, "unchanged": 7}
    second = run_import(world, second)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 7)
    assert Observation.objects.count() == 7
    assert values(world) == before
    # Unchanged rows keep the batch that last changed them.
    assert set(Observation.objects.values_list("import_batch", flat=True)) == {first.pk}


def test_reimport_with_changed_values_updates_and_previews_old_and_new(world):
    run_import(
        world, upload(world, b"Indikator;Sozialraum;Jahr;Zahler;Nenner\nSGB2_U15;01;2022;1;10\n")
    )
    batch = upload(
        world,
        b"Indikator;Sozialraum;Jahr;Zahler;Nenner\nSGB2_U15;01;2022;2;10\nSGB2_U15;02;2022;3;10\n",
    )
    assert batch.summary["preview"] == {"created": 1, "updated": 1, "unchanged": 0}
    first, second = batch.summary["changes"]
    assert first["line"] == 2
    assert first["old"]["numerator"] == "1.000"
    assert first["new"]["numerator"] == "2.000"
    assert second["old"] is None
    batch = run_import(world, batch)
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    assert values(world)[("SGB2_U15", "01", 2022)][0] == Decimal(2)


def test_year_approved_between_check_and_import_fails_the_whole_import(world):
    batch = upload(world, fixture_file("itnrw_semikolon_bom.csv"))
    from tests.factories_monitoring import DataApprovalFactory

    DataApprovalFactory(municipality=world.municipality, period=2022, approved_by=world.coordinator)
    batch = run_import(world, batch)
    assert batch.status == ImportStatus.FAILED
    assert "fehlerhafte Zeilen" in batch.summary["error"]
    assert not Observation.objects.exists()


def test_failure_inside_the_write_leaves_the_table_unchanged(world, monkeypatch):
    run_import(
        world, upload(world, b"Indikator;Sozialraum;Jahr;Zahler;Nenner\nSGB2_U15;01;2022;1;10\n")
    )
    before = values(world)
    batch = upload(world, fixture_file("itnrw_semikolon_bom.csv"))
    from monitoring.imports import loading

    monkeypatch.setattr(loading, "_SLICE_ROWS", 3)  # several slices, the last one breaks
    real_write = loading.replace_issues

    def broken(*args, **kwargs):
        raise RuntimeError("Platte voll")

    monkeypatch.setattr(loading, "replace_issues", broken)
    batch = run_import(world, batch)
    monkeypatch.setattr(loading, "replace_issues", real_write)
    assert batch.status == ImportStatus.FAILED
    assert "nichts importiert" in batch.summary["error"]
    assert values(world) == before


def xlsx_bytes(rows, title_rows=2) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    for index in range(title_rows):
        sheet.append([f"Titelzeile {index + 1} der Statistikstelle"])
    for row in rows:
        sheet.append(row)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_xlsx_with_title_rows_numbers_and_marks(world):
    content = xlsx_bytes(
        [
            ["Indikator", "Sozialraum", "Jahr", "Zähler", "Nenner"],
            ["SGB2_U15", "01", 2022, 412, 1234.0],
            ["SGB2_U15", 2, 2022.0, 12.5, 100],
            ["SGB2_U3", "01", "2022", "x", 50],
            [],
            ["SGB2_U3", "02", 2022, "viele", 50],
        ]
    )
    # The name says CSV; the content decides.
    batch = upload(world, content, name="lieferung.csv")
    assert batch.status == ImportStatus.CHECKED, batch.summary
    assert batch.summary["format"] == "Excel-Arbeitsmappe (XLSX)"
    assert batch.summary["header_line"] == 3
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (4, 2, 2)
    assert {(i.line, i.column) for i in batch.issues.all()} == {(5, "Sozialraum"), (8, "Zähler")}
    assert "Meinten Sie „02“" in batch.issues.get(line=5).message
    batch = run_import(world, batch, only_valid_rows=True)
    stored = values(world)
    assert stored[("SGB2_U15", "01", 2022)] == (Decimal(412), Decimal(1234), "reported")
    assert stored[("SGB2_U3", "01", 2022)] == (None, None, ObservationStatus.SECRET)


def test_broken_xlsx_fails_with_a_message(world):
    batch = upload(world, b"PK\x03\x04 kaputt", name="lieferung.xlsx")
    assert batch.status == ImportStatus.FAILED
    assert "keine lesbare Excel-Arbeitsmappe" in batch.summary["error"]
