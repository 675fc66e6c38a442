"""Offering files as municipalities have them (Windows-1252 with semicolons and title lines,
UTF-8 with BOM and commas, XLSX with numbers as numbers): every rejected row named with line,
column and reason; nothing imported until the file is clean or only valid rows are chosen;
atomic; a re-import updates by Kennung instead of duplicating."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring.models import ImportStatus
from prevention_chains.errors import ChainError
from prevention_chains.models import Offering, OfferingImportKey, OfferingStatus
from prevention_chains.offering_imports import loading, services
from prevention_chains.offering_imports.columns import COLUMNS
from prevention_chains.offering_imports.reading import read_offering_table
from tests.prevention_chains.offerings_world import build

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
MESSY = "angebote_windows1252_semikolon.csv"
CLEAN = "angebote_utf8_bom_komma.csv"


@pytest.fixture
def world(personas):
    return build(personas)


def upload(world, user, name=None, content=None):
    """Upload and check, as the eager check task would."""
    data = content if content is not None else (FIXTURES / name).read_bytes()
    batch = services.upload_file(
        actor=user, municipality=world.municipality, file=SimpleUploadedFile(name or "x.csv", data)
    )
    loading.check_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def run(batch, user, only_valid_rows=False):
    services.start_import(actor=user, batch=batch, only_valid_rows=only_valid_rows)
    loading.import_batch(batch_id=batch.pk, actor_id=user.pk)
    batch.refresh_from_db()
    return batch


def issues(batch) -> list[tuple[int, str, str]]:
    return list(batch.issues.values_list("line", "column", "message"))


def test_messy_file_names_every_bad_row_and_imports_nothing_by_itself(world, personas):
    batch = upload(world, personas.coordinator_a, MESSY)
    assert batch.status == ImportStatus.CHECKED
    assert "Semikolon" in batch.summary["format"]
    assert "Windows-1252" in batch.summary["format"]
    assert batch.summary["header_line"] == 4
    assert batch.summary["skipped_notes"] == 1  # „Quelle: Jugendamt“ below the table
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (8, 2, 6)
    found = {(line, column): message for line, column, message in issues(batch)}
    assert "Unbekannte Lebensphase „Schulzeit“" in found[(7, "Lebensphasen")]
    assert found[(8, "Titel")] == "Bitte einen Titel angeben."
    assert "gültige E-Mail-Adresse" in found[(9, "E-Mail")]
    assert "„Alter bis unter“ muss größer sein" in found[(10, "Alter bis")]
    assert "Den Träger „Unbekannter Verein“ gibt es in Ihrer Kommune nicht" in found[(11, "Träger")]
    assert (12, "Lebensphasen") in found
    assert batch.summary["preview"] == {"created": 2, "updated": 0, "without_key": 0}
    assert [row["title"] for row in batch.summary["sample"]] == [
        "Café Kinderwagen",
        "Kita-Sprechstunde",
    ]
    assert not Offering.objects.exists()
    with pytest.raises(ChainError):
        services.start_import(actor=personas.coordinator_a, batch=batch, only_valid_rows=False)
    assert not Offering.objects.exists()


def test_only_valid_rows_imports_the_good_ones_completely(world, personas):
    batch = run(upload(world, personas.coordinator_a, MESSY), personas.coordinator_a, True)
    assert batch.status == ImportStatus.DONE
    assert (batch.rows_created, batch.rows_updated) == (2, 0)
    cafe = Offering.objects.get(import_key__key="K-1")
    assert cafe.status == OfferingStatus.PUBLISHED
    assert cafe.provider == world.actors["Familienzentrum Nord"]
    assert [p.slug for p in cafe.life_phases.all()] == ["fruehe-hilfen"]
    assert sorted(a.code for a in cafe.sozialraeume.all()) == ["01", "02"]
    assert cafe.languages == ["de", "tr"]
    assert cafe.website == "https://www.example.org"
    assert (cafe.age_from, cafe.age_to) == (0, 3)
    assert cafe.schedule == "dienstags 9–11 Uhr"
    place = cafe.locations.get()
    assert (place.name, place.street, place.postcode, place.city) == (
        "Familienzentrum Nord",
        "Marktplatz 1",
        "32756",
        "Detmold",
    )
    assert cafe.last_confirmed_on == timezone.localdate()
    assert cafe.confirmed_by == personas.coordinator_a
    consultation = Offering.objects.get(import_key__key="K-2")
    assert consultation.status == OfferingStatus.DRAFT  # no status in the file
    assert (consultation.is_free, consultation.cost_note) == (False, "5 € je Termin")
    assert {p.slug for p in consultation.life_phases.all()} == {"kita", "fruehe-hilfen"}


def test_reimport_updates_by_kennung_and_never_duplicates(world, personas):
    run(upload(world, personas.coordinator_a, MESSY), personas.coordinator_a, True)
    cafe = Offering.objects.get(import_key__key="K-1")
    Offering.objects.filter(pk=cafe.pk).update(last_confirmed_on=None)

    batch = upload(world, personas.coordinator_a, CLEAN)
    assert batch.error_rows == 0
    assert "UTF-8 (mit BOM)" in batch.summary["format"]
    assert batch.summary["preview"] == {"created": 1, "updated": 1, "without_key": 0}
    run(batch, personas.coordinator_a)
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    cafe.refresh_from_db()
    assert cafe.description == "Treff für Eltern, mit Babys;\nund Hebamme"
    assert cafe.version == 2
    assert cafe.last_confirmed_on == timezone.localdate()
    assert not cafe.locations.exists()  # the new file names no place
    assert [a.code for a in cafe.sozialraeume.all()] == ["01"]
    patrons = Offering.objects.get(import_key__key="K-9")
    assert patrons.languages == ["ar"]

    again = run(upload(world, personas.coordinator_a, CLEAN), personas.coordinator_a)
    assert (again.rows_created, again.rows_updated) == (0, 2)
    assert Offering.objects.count() == 3
    assert OfferingImportKey.objects.count() == 3


def test_running_the_import_task_twice_imports_once(world, personas):
    batch = upload(world, personas.coordinator_a, CLEAN)
    run(batch, personas.coordinator_a)
    loading.import_batch(batch_id=batch.pk, actor_id=personas.coordinator_a.pk)
    assert Offering.objects.count() == 2


def test_a_failure_while_writing_leaves_nothing_half_imported(world, personas, monkeypatch):
    batch = upload(world, personas.coordinator_a, CLEAN)
    original = loading.write_offering
    written = []

    def fail_on_second(offering, data):
        if written:
            raise RuntimeError("Datenbank weg")
        written.append(original(offering, data))
        return written[-1]

    monkeypatch.setattr(loading, "write_offering", fail_on_second)
    batch = run(batch, personas.coordinator_a)
    assert batch.status == ImportStatus.FAILED
    assert "Es wurde nichts importiert" in batch.summary["error"]
    assert not Offering.objects.exists()
    assert not OfferingImportKey.objects.exists()


def test_a_file_that_went_bad_since_the_check_imports_nothing(world, personas):
    batch = upload(world, personas.coordinator_a, CLEAN)
    world.actors["Jugendamt"].delete()
    batch = run(batch, personas.coordinator_a)
    assert batch.status == ImportStatus.FAILED
    assert "1 fehlerhafte Zeile" in batch.summary["error"]
    assert not Offering.objects.exists()


def test_xlsx_with_title_rows_and_numbers(world, personas):
    batch = upload(world, personas.coordinator_a, "angebote_titelzeilen.xlsx")
    assert batch.summary["header_line"] == 3
    assert (batch.valid_rows, batch.error_rows) == (1, 1)
    assert {column for line, column, _m in issues(batch) if line == 5} == {
        "Lebensphasen",
        "Kosten",
    }
    run(batch, personas.coordinator_a, True)
    offering = Offering.objects.get()
    assert (offering.age_from, offering.age_to, offering.is_free) == (3, 6, True)
    assert offering.locations.get().postcode == "32756"


def test_a_kennung_twice_in_one_file_rejects_both_lines(world, personas):
    content = (
        b"Kennung;Titel;Lebensphasen;Handlungsfelder\n"
        b"A;Eins;kita;familie\nA;Zwei;kita;familie\nB;Drei;kita;familie\n"
    )
    batch = upload(world, personas.coordinator_a, content=content)
    assert (batch.valid_rows, batch.error_rows) == (1, 2)
    assert [(line, column) for line, column, _m in issues(batch)] == [
        (2, "Kennung"),
        (3, "Kennung"),
    ]


def test_inactive_phase_and_a_sozialraum_no_longer_valid_are_rejected(world, personas):
    content = (
        "Titel;Lebensphasen;Handlungsfelder;Sozialräume\n"
        "Eins;Alte Phase;familie;\nZwei;kita;familie;09\nDrei;kita;familie;77\n"
    ).encode()
    batch = upload(world, personas.coordinator_a, content=content)
    messages = [message for _line, _column, message in issues(batch)]
    assert "Nicht mehr in Gebrauch" in messages[0]
    assert "„09“ ist heute nicht gültig" in messages[1]
    assert "Kennung „77“ gibt es in Ihrer Kommune nicht" in messages[2]
    assert batch.summary["preview"]["without_key"] == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Name;Wert\nx;1\n", "keine Kopfzeile"),
        (b"Titel;Beschreibung\nx;y\n", "Der Kopfzeile fehlt: Lebensphasen, Handlungsfelder"),
    ],
)
def test_a_file_without_the_needed_header_fails_with_the_reason(world, personas, content, expected):
    batch = upload(world, personas.coordinator_a, content=content)
    assert batch.status == ImportStatus.FAILED
    assert expected in batch.summary["error"]


def test_pdf_and_empty_files_are_refused_at_upload(world, personas):
    for content in (b"%PDF-1.4 ...", b""):
        with pytest.raises(ChainError):
            services.upload_file(
                actor=personas.coordinator_a,
                municipality=world.municipality,
                file=SimpleUploadedFile("x.csv", content),
            )


def test_the_template_reads_back_with_every_column():
    from prevention_chains.offering_imports.files import csv_response, xlsx_response

    csv_bytes = b"".join(csv_response([], "v.csv").streaming_content)
    xlsx_bytes = xlsx_response([], "v.xlsx").content
    for content in (csv_bytes, xlsx_bytes):
        table, rows = read_offering_table(lambda content=content: io.BytesIO(content))
        assert set(table.columns) == {column.key for column in COLUMNS}
        assert rows == []
