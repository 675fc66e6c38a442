"""The import pages: who may use them, the flow upload → preview → import, progress, the
error list and its CSV, the history with a constant number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from monitoring.models import ImportBatch, ImportIssue, ImportStatus, Observation
from tests.factories_monitoring import ImportBatchFactory
from tests.monitoring.imports.conftest import FIXTURES, fixture_file, upload

CLEAN = (
    b"Indikator;Sozialraum;Jahr;Zaehler;Nenner\nSGB2_U15;01;2022;10;100\nSGB2_U15;02;2022;20;200\n"
)


def login(client, user):
    client.force_login(user)
    return client


def urls(world, batch):
    slug = world.municipality.slug
    return [
        ("get", reverse("monitoring:import_list", args=[slug])),
        ("get", reverse("monitoring:import_upload", args=[slug])),
        ("get", reverse("monitoring:import_detail", args=[slug, batch.pk])),
        ("get", reverse("monitoring:import_progress", args=[slug, batch.pk])),
        ("get", reverse("monitoring:import_discard", args=[slug, batch.pk])),
        ("get", reverse("monitoring:import_issues_csv", args=[slug, batch.pk])),
        ("post", reverse("monitoring:import_start", args=[slug, batch.pk])),
        ("post", reverse("monitoring:import_discard", args=[slug, batch.pk])),
    ]


@pytest.mark.parametrize(
    "persona",
    ["coordinator_b", "viewer_a", "companion_a", "reviewer", "state_admin", "outsider", None],
)
def test_everyone_but_the_coordinators_gets_404(client, world, personas, persona):
    batch = upload(world, CLEAN)
    if persona:
        login(client, getattr(personas, persona))
    for method, url in urls(world, batch):
        response = getattr(client, method)(url, {"nur_gueltige": "on", "bestaetigt": "on"})
        assert response.status_code == 404, (persona, url)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert not Observation.objects.exists()


def test_coordinator_of_another_municipality_cannot_reach_a_batch_through_its_own_slug(
    client, world, personas
):
    batch = upload(world, CLEAN)
    login(client, personas.coordinator_b)
    url = reverse("monitoring:import_detail", args=[personas.municipality_b.slug, batch.pk])
    assert client.get(url).status_code == 404


def test_coordinator_reads_every_page(client, world):
    batch = upload(world, fixture_file("fehlerhaft.csv"))
    login(client, world.coordinator)
    for method, url in urls(world, batch)[:6]:
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302), url


def test_upload_preview_and_import_through_the_pages(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.coordinator)
    slug = world.municipality.slug
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:import_upload", args=[slug]),
            {"datei": SimpleUploadedFile("lieferung.csv", CLEAN)},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:import_detail", args=[slug, batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Vorschau" in page
    assert "2 Zeilen importieren" in page
    assert "nur die gültigen Zeilen" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:import_start", args=[slug, batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Observation.objects.count() == 2
    page = client.get(reverse("monitoring:import_detail", args=[slug, batch.pk])).content.decode()
    assert "Ergebnis" in page
    assert "importiert" in page
    history = client.get(reverse("monitoring:import_list", args=[slug])).content.decode()
    assert "lieferung.csv" in history
    assert "2 neu, 0 geändert, 0 unverändert" in history


def test_file_with_errors_needs_the_confirmation(client, world, django_capture_on_commit_callbacks):
    batch = upload(world, fixture_file("fehlerhaft.csv"))
    login(client, world.coordinator)
    slug = world.municipality.slug
    page = client.get(reverse("monitoring:import_detail", args=[slug, batch.pk])).content.decode()
    assert "Unbekannter Indikator „GIBTESNICHT“" in page
    assert "1 gültige Zeile importieren" in page
    url = reverse("monitoring:import_start", args=[slug, batch.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "Bestätigen Sie" in response.content.decode()
    assert not Observation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"nur_gueltige": "on"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.only_valid_rows
    assert Observation.objects.count() == 1


def test_refused_upload_keeps_the_form_with_a_message(client, world):
    login(client, world.coordinator)
    response = client.post(
        reverse("monitoring:import_upload", args=[world.municipality.slug]),
        {"datei": SimpleUploadedFile("tabelle.csv", (FIXTURES / "tabelle.pdf").read_bytes())},
    )
    assert response.status_code == 400
    assert "PDF-Datei" in response.content.decode()
    assert not ImportBatch.objects.exists()


@override_settings(MONITORING_IMPORT_MAX_BYTES=50)
def test_size_limit_with_a_clear_message(client, world):
    login(client, world.coordinator)
    response = client.post(
        reverse("monitoring:import_upload", args=[world.municipality.slug]),
        {"datei": SimpleUploadedFile("gross.csv", CLEAN)},
    )
    assert response.status_code == 400
    assert "erlaubt sind höchstens 50" in response.content.decode()


def test_progress_fragment_polls_while_running_and_refreshes_when_done(client, world):
    batch = ImportBatchFactory(
        municipality=world.municipality,
        uploaded_by=world.coordinator,
        status=ImportStatus.IMPORTING,
        progress=63,
    )
    login(client, world.coordinator)
    url = reverse("monitoring:import_progress", args=[world.municipality.slug, batch.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress id="fortschritt-balken" max="100" value="63">' in fragment
    assert "werden gespeichert" in fragment
    detail = client.get(
        reverse("monitoring:import_detail", args=[world.municipality.slug, batch.pk])
    ).content.decode()
    assert 'for="fortschritt-balken"' in detail
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_error_csv_lists_every_issue(client, world):
    batch = upload(world, fixture_file("fehlerhaft.csv"))
    login(client, world.coordinator)
    response = client.get(
        reverse("monitoring:import_issues_csv", args=[world.municipality.slug, batch.pk])
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "\ufeffZeile;Spalte;Grund"
    assert len(lines) == 1 + ImportIssue.objects.filter(batch=batch).count()
    assert lines[1].startswith("3;Indikator;Unbekannter Indikator")


def test_issue_list_is_paginated(client, world):
    rows = "".join(f"GIBTESNICHT;01;2022;1;{n}\n" for n in range(1, 121))
    batch = upload(world, ("Indikator;Sozialraum;Jahr;Zähler;Nenner\n" + rows).encode())
    assert batch.error_rows == 120
    login(client, world.coordinator)
    url = reverse("monitoring:import_detail", args=[world.municipality.slug, batch.pk])
    page = client.get(url, {"seite": 3}).content.decode()
    assert "Seite 3 von 3" in page
    assert ">102<" in page
    assert ">2<" not in page


def test_discard_needs_confirmation(client, world, django_capture_on_commit_callbacks):
    batch = upload(world, CLEAN)
    login(client, world.coordinator)
    url = reverse("monitoring:import_discard", args=[world.municipality.slug, batch.pk])
    assert client.post(url).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"bestaetigt": "on"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert not batch.file.storage.exists(batch.file.name)
    start = reverse("monitoring:import_start", args=[world.municipality.slug, batch.pk])
    client.post(start)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_history_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries, count):
    ImportBatchFactory.create_batch(
        count, municipality=world.municipality, uploaded_by=world.coordinator
    )
    ImportBatchFactory(
        municipality=world.municipality, status=ImportStatus.FAILED, summary={"error": "kaputt"}
    )
    login(client, world.coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("monitoring:import_list", args=[world.municipality.slug]))
    assert response.status_code == 200


def test_empty_history(client, world):
    login(client, world.coordinator)
    page = client.get(reverse("monitoring:import_list", args=[world.municipality.slug]))
    assert "Noch keine Importe." in page.content.decode()
