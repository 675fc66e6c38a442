"""Issue 3 in Chromium, through the real pages only: the coordinator of Kommune A drafts an
application in the open call, fills the financing plan (sees the grant computed live), uploads
the two required attachments and submits; the reviewer (signed in with a second factor) finds it
in the queue, starts the review and asks for changes; the coordinator reads the message, changes
the purpose and resubmits; the reviewer sees what changed and recommends approval; the approver
approves, and the Bescheid PDF downloads with the amount and the Aktenzeichen shown on the page.
axe-core finds no WCAG 2.1 A/AA violation on any page on the way.

Only the world around the application is built directly: rule, call with an open window,
secured budget, and three people with their memberships and authenticators."""

import io
import json
import struct
import time
import zlib
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from funding.models import Application, ApplicationStatus, Decision
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    StateRoleFactory,
    UserFactory,
    enable_totp,
)
from tests.factories_funding import BudgetFactory, CallFactory, FundingRuleFactory

pytestmark = pytest.mark.browser

FIRST_PURPOSE = "Aufbau der kommunalen Präventionskette mit einer Koordinationsstelle."
SECOND_PURPOSE = (
    "Aufbau der kommunalen Präventionskette mit einer Koordinationsstelle; Schwerpunkt "
    "Übergang Kita–Grundschule in den Sozialräumen Nord und Mitte."
)
CHANGE_REQUEST = "Bitte nennen Sie im Zuwendungszweck die Schwerpunkte der Koordination."


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    """A 1×1 white PNG, written byte by byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _world():
    today = timezone.localdate()
    rule = FundingRuleFactory()
    call = CallFactory(
        programme=rule.programme,
        title="KeKiz-Förderaufruf 2027",
        first_year=2027,
        last_year=2027,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
    )
    BudgetFactory(programme=rule.programme, fiscal_year=2027)
    municipality = MunicipalityFactory(short_name="Kommune A", name="Kommune A, Stadt")
    coordinator = MembershipFactory(
        municipality=municipality,
        role="coordinator",
        user=UserFactory(email="koordination.a@example.org", full_name="Kim Koordination"),
    ).user
    reviewer = StateRoleFactory(
        role="state_reviewer",
        user=UserFactory(email="pruefung@example.org", full_name="Paula Prüfung"),
    ).user
    approver = StateRoleFactory(
        role="state_approver",
        user=UserFactory(email="bewilligung@example.org", full_name="Bernd Bewilligung"),
    ).user
    return call, coordinator, (reviewer, enable_totp(reviewer)), (approver, enable_totp(approver))


def _sign_in(browser, base, user, found, *, totp_secret=None, check=True):
    """A browser of its own for each person, signed in through the login form (and the code
    page for the state office); `check` runs axe-core on the pages on the way."""
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/konto/login/")
    if check:
        _check(page, f"login_{user.email}", found)
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    if totp_secret:
        page.wait_for_url("**/2fa/authenticate/")
        if check:
            _check(page, f"two_factor_code_{user.email}", found)
        if time.time() % 30 > 27:  # a code typed at the end of its window expires in flight
            time.sleep(3)
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.get_by_label("Code").fill(code)
        page.get_by_role("main").locator("button[type=submit]").first.click()
    page.wait_for_url(f"{base}/start/")
    if check:
        _check(page, f"start_{user.email}", found)
    return page


def _open_funding(page):
    page.get_by_role("navigation").get_by_role("link", name="Förderung").first.click()
    page.wait_for_load_state("networkidle")


def _figure(page, label):
    return page.locator("#kennzahlen .portal-figure").filter(
        has=page.get_by_text(label, exact=True)
    )


def test_application_from_draft_to_bescheid(live_server, transactional_db, browser_page):  # noqa: F811
    call, coordinator, (reviewer, reviewer_totp), (approver, approver_totp) = _world()
    base = live_server.url
    browser = browser_page.context.browser
    found: dict[str, list] = {}

    # The coordinator drafts the application.
    municipality_page = _sign_in(browser, base, coordinator, found)
    page = municipality_page
    _open_funding(page)
    _check(page, "application_list_empty", found)
    page.get_by_role("link", name="Neuer Antrag").click()
    page.wait_for_url("**/antraege/neu/")
    expect(page.get_by_label("Förderaufruf")).to_have_value(str(call.pk))
    _check(page, "application_create", found)
    page.get_by_role("button", name="Antrag anlegen").click()
    page.wait_for_url("**/bearbeiten/")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    expect(
        page.get_by_text(f"Der Antrag {application.number} ist als Entwurf angelegt.")
    ).to_be_visible()
    _check(page, "application_edit", found)
    page.get_by_label("Vorhaben und Zuwendungszweck").fill(FIRST_PURPOSE)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/antraege/{application.pk}/")
    gaps = page.get_by_role("heading", name="Vor dem Einreichen noch zu erledigen")
    expect(gaps).to_be_visible()
    expect(page.get_by_text("Für 2027 fehlen Ausgabenpositionen")).to_be_visible()
    _check(page, "application_detail_draft", found)

    # The financing plan: the figures follow what is typed, before anything is saved.
    page.get_by_role("link", name="Finanzierungsplan 2027 bearbeiten").click()
    page.wait_for_url("**/finanzierungsplan/2027/")
    _check(page, "application_plan_empty", found)
    expect(page.get_by_label("Ausgabeart")).to_have_value("personnel")
    page.get_by_label("Bezeichnung", exact=True).fill("Koordinationsstelle Präventionskette")
    page.get_by_label("Entgeltgruppe").fill("E 11 TVöD")
    page.get_by_label("Stellenanteil (VZÄ)").fill("1")
    page.get_by_label("Monate").fill("12")
    page.get_by_label("Arbeitgeberkosten je Monat (€)").fill("4.993,00")
    expect(_figure(page, "zuwendungsfähige Ausgaben")).to_contain_text("59.916,00")
    expect(_figure(page, "beantragte Zuwendung (nach Förderregel)")).to_contain_text("29.958,00")
    expect(page.get_by_text("es fehlen 29.958,00")).to_be_visible()
    page.get_by_label("Eigenmittel (€)").fill("29.958,00")
    expect(page.get_by_text("Der Finanzierungsplan ist ausgeglichen.")).to_be_visible()
    _check(page, "application_plan_filled", found)
    page.get_by_role("button", name="Finanzierungsplan speichern").click()
    page.wait_for_url(f"**/antraege/{application.pk}/")
    expect(page.get_by_text("Der Finanzierungsplan 2027 ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Für 2027 fehlen Ausgabenpositionen")).to_have_count(0)

    # The two required attachments, checked by their content.
    page.get_by_role("link", name="Anlagen hochladen oder löschen").click()
    page.wait_for_url("**/anlagen/")
    _check(page, "application_attachments_empty", found)
    uploads = [
        ("Ratsbeschluss / Kreistagsbeschluss", "ratsbeschluss.pdf", "application/pdf", _pdf()),
        ("Erklärung zur Kofinanzierung", "kofinanzierung.png", "image/png", _png()),
    ]
    for kind, name, mime, content in uploads:
        page.get_by_label("Art der Anlage").select_option(label=kind)
        page.get_by_label("Datei", exact=True).set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        page.get_by_role("button", name="Hochladen").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text(f"Die Anlage „{name}“ ist hochgeladen.")).to_be_visible()
    _check(page, "application_attachments", found)

    # Submit: nothing is missing any more.
    page.get_by_role("link", name="Antrag", exact=True).click()
    expect(gaps).to_have_count(0)
    page.get_by_role("link", name="Einreichen", exact=True).click()
    page.wait_for_url("**/einreichen/")
    _check(page, "application_submit", found)
    page.get_by_label("Ich bestätige").check()
    page.get_by_role("button", name="Verbindlich einreichen").click()
    page.wait_for_url(f"**/antraege/{application.pk}/")
    expect(page.get_by_text("Status: eingereicht")).to_be_visible()
    _check(page, "application_detail_submitted", found)

    # The reviewer finds it in the queue and asks for changes.
    reviewer_page = _sign_in(browser, base, reviewer, found, totp_secret=reviewer_totp)
    page = reviewer_page
    _open_funding(page)
    page.wait_for_url("**/foerderung/pruefung/")
    _check(page, "review_queue", found)
    page.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"**/{application.pk}/pruefung/")
    _check(page, "review_submitted", found)
    page.get_by_role("button", name="Prüfung beginnen").click()
    expect(page.get_by_text("Sie prüfen diesen Antrag jetzt.")).to_be_visible()
    _check(page, "review_in_review", found)
    page.get_by_role("link", name="Nachbesserung anfordern").click()
    page.wait_for_url("**/pruefung/nachbesserung/")
    _check(page, "review_request_changes", found)
    page.get_by_label("Was soll die Kommune nachbessern?").fill(CHANGE_REQUEST)
    page.get_by_label("Der Antrag geht zur Nachbesserung an die Kommune zurück").check()
    page.get_by_role("button", name="Zur Nachbesserung zurückgeben").click()
    page.wait_for_url(f"**/{application.pk}/pruefung/")
    expect(page.get_by_text("Status: Nachbesserung angefordert")).to_be_visible()

    # The coordinator reads the message, sharpens the purpose and resubmits.
    page = municipality_page
    page.reload()
    expect(page.get_by_text("Status: Nachbesserung angefordert")).to_be_visible()
    hints = page.locator(
        "section", has=page.get_by_role("heading", name="Hinweise der Landeskoordinierungsstelle")
    )
    expect(hints).to_contain_text(CHANGE_REQUEST)
    _check(page, "application_detail_changes_requested", found)
    page.get_by_role("link", name="Angaben bearbeiten").click()
    page.wait_for_url("**/bearbeiten/")
    expect(page.get_by_label("Vorhaben und Zuwendungszweck")).to_have_value(FIRST_PURPOSE)
    page.get_by_label("Vorhaben und Zuwendungszweck").fill(SECOND_PURPOSE)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/antraege/{application.pk}/")
    page.get_by_role("link", name="Erneut einreichen").click()
    page.wait_for_url("**/einreichen/")
    expect(page.get_by_role("heading", name="Erneut einreichen")).to_be_visible()
    _check(page, "application_resubmit", found)
    page.get_by_label("Ich bestätige").check()
    page.get_by_role("button", name="Verbindlich einreichen").click()
    page.wait_for_url(f"**/antraege/{application.pk}/")
    expect(page.get_by_text("Status: eingereicht")).to_be_visible()

    # The reviewer sees what changed and recommends approval in full.
    page = reviewer_page
    page.reload()
    changes = page.get_by_role("table").filter(has_text="vorher")
    expect(changes).to_contain_text(FIRST_PURPOSE)
    expect(changes).to_contain_text(SECOND_PURPOSE)
    _check(page, "review_resubmitted", found)
    page.get_by_role("button", name="Prüfung beginnen").click()
    expect(page.get_by_text("Sie prüfen diesen Antrag jetzt.")).to_be_visible()
    page.get_by_role("combobox", name="Votum").select_option(label="Bewilligung in voller Höhe")
    page.get_by_label("Begründung").fill("Vollständig und förderfähig.")
    page.get_by_role("button", name="Votum abgeben").click()
    expect(
        page.get_by_text("Das Votum ist gespeichert; die Bewilligung ist informiert.")
    ).to_be_visible()
    expect(page.get_by_text("Status: Votum liegt vor")).to_be_visible()
    _check(page, "review_recommended", found)

    # Another person approves; the Bescheid is rendered and downloads with the amount.
    page = _sign_in(browser, base, approver, found, totp_secret=approver_totp, check=False)
    _open_funding(page)
    page.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"**/{application.pk}/pruefung/")
    page.get_by_role("navigation", name="Bereiche des Antrags").get_by_role(
        "link", name="Bescheide"
    ).click()
    page.wait_for_url(f"**/antraege/{application.pk}/bescheide/")
    expect(page.get_by_text("Über diesen Antrag wurde noch nicht entschieden.")).to_be_visible()
    _check(page, "decisions_form", found)
    page.get_by_label("Bewilligung in voller Höhe").check()
    page.get_by_role("button", name="Bescheid erlassen").click()
    page.wait_for_url(f"**/antraege/{application.pk}/bescheide/")
    decision = Decision.objects.get(application=application)
    expect(
        page.get_by_role("heading", name=f"Bewilligung {decision.file_reference}")
    ).to_be_visible()
    expect(page.get_by_text("Status: bewilligt")).to_be_visible()
    _check(page, "decisions_approved", found)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF herunterladen").first.click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "29.958,00" in text
    assert decision.file_reference in text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.submissions.count() == 2

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
