"""The main pages in a real browser (Debian's Chromium through Playwright) with axe-core:
zero WCAG 2.1 A/AA violations, logged in through the real login form as a coordinator.

Set KEKIZ_SCREENSHOT_DIR to keep a full-page screenshot of every page visited.
"""

import json
import os
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings

from municipalities.models import Municipality
from municipalities.reference_data_loader import load_reference_data
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    StateRoleFactory,
    UserFactory,
    enable_totp,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _require_browser():
    missing = [str(p) for p in (CHROMIUM, AXE_SCRIPT) if not p.exists()]
    if not missing:
        return
    reason = f"Browser-Test braucht {', '.join(missing)} (apt install chromium; npm ci)."
    if os.environ.get("KEKIZ_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def browser_page(monkeypatch):
    _require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # (fixtures, assertions) are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def _check(page, name: str, found: dict):
    page.wait_for_load_state("networkidle")
    if directory := os.environ.get("KEKIZ_SCREENSHOT_DIR"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
    if violations := _axe_violations(page):
        found[f"{name} ({page.url})"] = violations


def test_main_pages_have_no_axe_violations(live_server, transactional_db, browser_page):
    load_reference_data()
    dortmund = Municipality.objects.get(slug="dortmund")
    coordinator = MembershipFactory(
        municipality=dortmund,
        role="coordinator",
        user=UserFactory(email="koordination@dortmund.example", full_name="Kim Koordination"),
    ).user
    reviewer = StateRoleFactory(
        role="state_reviewer", user=UserFactory(email="pruefung@land.example")
    ).user
    totp_secret = enable_totp(reviewer)
    page = browser_page
    found: dict[str, list] = {}

    page.goto(f"{live_server.url}/konto/password/reset/")
    _check(page, "password_reset", found)

    page.goto(f"{live_server.url}/konto/login/")
    _check(page, "login", found)
    # The skip link is the first stop for keyboard users.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#inhalt"

    page.get_by_label("E-Mail-Adresse").fill(coordinator.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server.url}/start/")
    assert page.get_by_role("link", name="Dortmund").first.is_visible()
    _check(page, "start", found)

    page.goto(f"{live_server.url}/")
    _check(page, "home", found)

    page.goto(f"{live_server.url}/programme/kekiz/?datum=2020-12-31")
    assert page.locator("svg[role=img] title").first.text_content().startswith("Karte")
    _check(page, "programme", found)

    page.goto(f"{live_server.url}/programme/kekiz/?datum=31.02.2020")
    _check(page, "programme_bad_date", found)

    page.goto(f"{live_server.url}/kommunen/?art=kreis")
    _check(page, "directory", found)
    # Live filtering through htmx: the table and the address follow the search box.
    page.get_by_label("Name oder AGS").fill("Unna")
    page.wait_for_url("**q=Unna**")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#ergebnisse tbody tr")
    assert rows.count() == 1
    assert "Unna" in rows.first.inner_text()
    _check(page, "directory_search", found)
    # The back button returns to the previous filter (htmx pushed the URL).
    page.go_back()
    page.wait_for_url("**/kommunen/?art=kreis")
    page.wait_for_load_state("networkidle")
    assert page.locator("#ergebnisse tbody tr").count() == 30
    assert page.get_by_label("Name oder AGS").input_value() == ""
    page.get_by_label("Regierungsbezirk").select_option(label="Arnsberg")
    page.wait_for_url("**bezirk=059**")
    page.wait_for_load_state("networkidle")
    assert 0 < page.locator("#ergebnisse tbody tr").count() < 30

    page.goto(f"{live_server.url}/kommunen/dortmund/")
    assert page.get_by_text(coordinator.email).is_visible()
    _check(page, "detail", found)

    page.goto(f"{live_server.url}/kommunen/kreis-unna/")
    _check(page, "detail_kreis", found)

    page.goto(f"{live_server.url}/ueber/")
    _check(page, "about", found)

    page.goto(f"{live_server.url}/konto/2fa/")
    _check(page, "two_factor", found)

    page.goto(f"{live_server.url}/konto/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        # Setting up two-factor asks for the password again first.
        _check(page, "reauthenticate", found)
        page.get_by_label("Passwort", exact=True).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button").first.click()
        page.wait_for_url("**/totp/activate/")
    assert page.locator("img.portal-qr").is_visible()
    _check(page, "two_factor_activate", found)

    # The English pages are checked too (lang attribute, translated labels).
    page.goto(f"{live_server.url}/kommunen/dortmund/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    _check(page, "detail_english", found)
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/konto/logout/")
    _check(page, "logout", found)
    page.get_by_role("main").get_by_role("button", name="Abmelden").click()
    page.wait_for_url(f"{live_server.url}/")

    # The state office signs in with a second factor: the code page and its start page.
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(reviewer.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/2fa/authenticate/")
    _check(page, "two_factor_code", found)
    code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
    page.get_by_label("Code").fill(code)
    page.get_by_role("main").locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/start/")
    assert page.get_by_role("heading", name="Landeskoordinierungsstelle").is_visible()
    _check(page, "start_state_office", found)

    assert not found, "axe-core findet Verstöße:\n" + json.dumps(
        found, indent=2, ensure_ascii=False
    )
