"""The offering import pages: only the chain's writers see them; upload → preview → import
through the pages, progress, discard, and the template files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import ImportStatus
from prevention_chains.models import Offering, OfferingImport
from tests.prevention_chains.offerings_world import build

pytestmark = pytest.mark.django_db
CLEAN = "Kennung;Titel;Lebensphasen;Handlungsfelder\nA;Elterncafé;kita;familie\n".encode()
WITH_ERROR = CLEAN + b"B;Schwimmen;Schulzeit;familie\n"


@pytest.fixture
def world(personas):
    return build(personas)


def upload(client, world, content=CLEAN, django_capture_on_commit_callbacks=None):
    url = reverse("prevention_chains:offering_import_upload", args=[world.municipality.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"datei": SimpleUploadedFile("angebote.csv", content)})
    return response, OfferingImport.objects.order_by("-pk").first()


def batch_urls(world, batch):
    slug = world.municipality.slug
    return [
        ("get", reverse("prevention_chains:offering_import_upload", args=[slug])),
        ("get", reverse("prevention_chains:offering_import_template", args=[slug, "xlsx"])),
        ("get", reverse("prevention_chains:offering_import_detail", args=[batch.pk])),
        ("get", reverse("prevention_chains:offering_import_progress", args=[batch.pk])),
        ("post", reverse("prevention_chains:offering_import_start", args=[batch.pk])),
        ("post", reverse("prevention_chains:offering_import_discard", args=[batch.pk])),
    ]


@pytest.mark.parametrize(
    "persona", ["coordinator_b", "viewer_a", "companion_a", "reviewer", "researcher", "outsider"]
)
def test_everyone_but_the_writers_gets_404(
    client, world, personas, persona, django_capture_on_commit_callbacks
):
    client.force_login(personas.coordinator_a)
    _response, batch = upload(
        client, world, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    client.force_login(getattr(personas, persona))
    for method, url in batch_urls(world, batch):
        assert getattr(client, method)(url).status_code == 404, url
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert not Offering.objects.exists()


def test_anonymous_is_sent_to_the_login(client, world):
    url = reverse("prevention_chains:offering_import_upload", args=[world.municipality.slug])
    assert "/konto/login/" in client.get(url)["Location"]


def test_upload_preview_and_import_through_the_pages(
    client, world, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.state_admin)
    response, batch = upload(
        client,
        world,
        WITH_ERROR,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    detail = reverse("prevention_chains:offering_import_detail", args=[batch.pk])
    assert response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Elterncafé" in page  # the first valid rows
    assert "Unbekannte Lebensphase „Schulzeit“" in page
    assert "nur die gültigen Zeilen importieren" in page
    start = reverse("prevention_chains:offering_import_start", args=[batch.pk])
    refused = client.post(start, {})
    assert refused.status_code == 400
    assert not Offering.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start, {"nur_gueltige": "on"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert list(Offering.objects.values_list("title", flat=True)) == ["Elterncafé"]
    assert "1 Angebote neu angelegt" in client.get(detail).content.decode()
    progress = reverse("prevention_chains:offering_import_progress", args=[batch.pk])
    assert client.get(progress, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_progress_is_shown_while_running(client, world, personas):
    batch = OfferingImport.objects.create(
        municipality=world.municipality,
        uploaded_by=personas.coordinator_a,
        file=SimpleUploadedFile("a.csv", CLEAN),
        original_name="a.csv",
        status=ImportStatus.IMPORTING,
        progress=42,
    )
    client.force_login(personas.coordinator_a)
    detail = client.get(reverse("prevention_chains:offering_import_detail", args=[batch.pk]))
    assert 'value="42"' in detail.content.decode()
    poll = client.get(reverse("prevention_chains:offering_import_progress", args=[batch.pk]))
    assert "hx-trigger" in poll.content.decode()


def test_discard_drops_the_file_and_imports_nothing(
    client, world, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.coordinator_a)
    _response, batch = upload(
        client, world, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    discard = reverse("prevention_chains:offering_import_discard", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(discard)
    assert response["Location"] == reverse(
        "prevention_chains:offering_import_upload", args=[world.municipality.slug]
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    start = reverse("prevention_chains:offering_import_start", args=[batch.pk])
    client.post(start, {})
    assert not Offering.objects.exists()


def test_a_pdf_is_refused_with_the_reason(client, world, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_import_upload", args=[world.municipality.slug])
    response = client.post(url, {"datei": SimpleUploadedFile("a.csv", b"%PDF-1.7")})
    assert response.status_code == 400
    assert "PDF-Datei" in response.content.decode()
    assert not OfferingImport.objects.exists()


def test_template_files(client, world, personas):
    client.force_login(personas.coordinator_a)
    slug = world.municipality.slug
    csv_file = client.get(reverse("prevention_chains:offering_import_template", args=[slug, "csv"]))
    header = b"".join(csv_file.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Kennung;Titel;Beschreibung;Träger;Lebensphasen")
    xlsx = client.get(reverse("prevention_chains:offering_import_template", args=[slug, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    other = reverse("prevention_chains:offering_import_template", args=[slug, "ods"])
    assert client.get(other).status_code == 404
