"""The decision pages in Chromium with axe-core: an approver is refused for an unsecured year,
then decides; the Bescheid PDF downloads with the amount; the coordinator's waiver confirmation
and the state office's batch with progress. Zero WCAG 2.1 A/AA violations. Runs like
tests/browser (skipped without Chromium and axe-core)."""

import json

import pytest
from django.test import Client
from pypdf import PdfReader

from funding.models import Decision
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import secure_2028

pytestmark = pytest.mark.browser

dworld = test_decisions_world.dworld


def sign_in(page, base, user):
    """The session of a logged-in user (state roles have passed their second factor)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_decision_pages_have_no_axe_violations(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
    personas,
    dworld,
):
    page = browser_page
    base = live_server.url
    found: dict[str, list] = {}
    url = f"{base}/foerderung/antraege/{dworld.application.pk}/bescheide/"

    sign_in(page, base, personas.approver)
    page.goto(url)
    _check(page, "decisions_form", found)
    page.get_by_role("button", name="Bescheid erlassen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Für 2028 sind keine Haushaltsmittel gesichert").is_visible()
    _check(page, "decisions_refused", found)

    secure_2028(dworld)
    page.goto(url)
    page.get_by_role("button", name="Bescheid erlassen").click()
    page.wait_for_load_state("networkidle")
    decision = Decision.objects.get()
    assert page.get_by_text(decision.file_reference).first.is_visible()
    _check(page, "decisions_decided", found)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF herunterladen").first.click()
    pdf = PdfReader(download_info.value.path())
    assert "29.958,00" in "".join(p.extract_text() for p in pdf.pages)

    sign_in(page, base, personas.coordinator_a)
    page.goto(url)
    page.get_by_role("link", name="Rechtsbehelfsverzicht erklären").click()
    page.get_by_role("button", name="Verzicht verbindlich erklären").click()
    page.wait_for_load_state("networkidle")
    _check(page, "waiver_error", found)
    page.get_by_label("Wir verzichten").check()
    page.get_by_role("button", name="Verzicht verbindlich erklären").click()
    page.wait_for_url(url)
    assert page.get_by_text("Rechtsbehelfsverzicht").first.is_visible()

    sign_in(page, base, personas.state_admin)
    page.goto(f"{base}/foerderung/bescheide/stapel/")
    page.get_by_role("button", name="Bescheide erstellen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Bitte wählen Sie einen Förderaufruf.").first.is_visible()
    _check(page, "batch_create_error", found)
    page.get_by_label("Förderaufruf").select_option(label=dworld.call.title)
    page.get_by_label("alle geltenden Bescheide").check()
    page.get_by_role("button", name="Bescheide erstellen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("1 von 1 Bescheiden erstellt").is_visible()
    _check(page, "batch_detail", found)

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
