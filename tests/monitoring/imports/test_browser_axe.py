"""The import pages in Chromium with axe-core: upload a file with errors, see the preview and
the row errors, import only the valid rows, find the result in the history; zero WCAG 2.1
A/AA violations on every step. Runs like tests/browser (skipped without Chromium and
axe-core). The tasks run eagerly in the request, outside a transaction, so the progress goes
through the second database connection as in production."""

import json

import pytest

from monitoring.models import ImportBatch, ImportStatus, Observation
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories import PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory
from tests.factories_monitoring import IndicatorFactory, SozialraumFactory
from tests.monitoring.imports.conftest import FIXTURES

pytestmark = pytest.mark.browser


def test_upload_preview_errors_and_import_without_axe_violations(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
):
    municipality = MunicipalityFactory(short_name="Musterstadt", slug="musterstadt")
    user = MembershipFactory(
        municipality=municipality, role="coordinator", user=UserFactory(email="k@muster.example")
    ).user
    for code in ("SGB2_U15", "SGB2_U3"):
        IndicatorFactory(code=code)
    for code in ("01", "02", "03"):
        SozialraumFactory(municipality=municipality, code=code)
    page = browser_page
    found: dict[str, list] = {}
    base = live_server.url
    page.goto(f"{base}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start/")

    page.goto(f"{base}/monitoring/musterstadt/importe/")
    assert page.get_by_text("Noch keine Importe.").is_visible()
    _check(page, "history_empty", found)
    page.get_by_role("link", name="Datei hochladen").click()
    _check(page, "upload", found)
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.wait_for_load_state("networkidle")
    _check(page, "upload_error", found)

    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(FIXTURES / "fehlerhaft.csv"))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Vorschau: das würde sich ändern").is_visible()
    assert page.get_by_text("Unbekannter Indikator „GIBTESNICHT“").is_visible()
    _check(page, "preview", found)
    preview_url = page.url
    page.get_by_role("link", name="Datei verwerfen").click()
    _check(page, "discard", found)
    page.goto(preview_url)

    page.get_by_role("button", name="2 gültige Zeilen importieren").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Bestätigen Sie, dass nur die gültigen").first.is_visible()
    _check(page, "confirm_error", found)
    assert not Observation.objects.exists()

    page.get_by_label("Ja, nur die gültigen Zeilen importieren").check()
    page.get_by_role("button", name="2 gültige Zeilen importieren").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Ergebnis").is_visible()
    _check(page, "result", found)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE
    assert Observation.objects.count() == 2

    page.goto(f"{base}/monitoring/musterstadt/importe/")
    assert page.get_by_text("2 neu, 0 geändert, 0 unverändert").is_visible()
    _check(page, "history", found)

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
