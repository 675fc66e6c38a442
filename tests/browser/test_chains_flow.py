"""Issue 5 in Chromium, through the real pages only.

1. The coordinator of Kommune A signs in, opens the prevention chain, notes the gap in
   „3–6 Kita × Gesundheit“, enters a published offering there and finds the cell filled; then
   adopts the good practice „Café Kinderwagen“ of Kommune B from the library and lands on the
   new draft's edit page, which links to its origin.
2. A family without an account searches the public finder by age and language, finds the
   published offering (not the draft), opens it, and the back button returns to the search.

The world is tests/browser/chains_world.py."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prevention_chains.models import Adoption, Offering, OfferingStatus
from tests.browser.chains_world import build
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_funding_flow import _sign_in
from tests.browser.test_pages_axe import browser_page  # noqa: F401 – fixture

pytestmark = pytest.mark.browser

NEW_OFFERING = "Kita-Zahnputzprojekt „Kleine Zähne“"

# The matrix cell of a field of action (row) and a life phase (column), read by the headers.
CELL_SCRIPT = """([field, phase]) => {
  const table = document.querySelector("table.chain-matrix");
  const column = [...table.tHead.rows[0].cells].findIndex(
    th => th.firstChild.textContent.trim() === phase);
  const row = [...table.tBodies[0].rows].find(
    tr => tr.cells[0].textContent.trim() === field);
  return row.cells[column].innerText;
}"""


def _cell(page, field, phase) -> tuple[int, str]:
    """The count in the cell and its full text („1 Angebot dünn besetzt …“)."""
    text = page.evaluate(CELL_SCRIPT, [field.name, phase.name])
    return int(re.match(r"\s*(\d+) Angebot", text).group(1)), text


def _gap_count(page) -> int:
    summary = page.get_by_text(re.compile(r"^\d+ Lücken?, ")).inner_text()
    return int(summary.split()[0])


def test_coordinator_fills_a_gap_and_adopts_good_practice(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
    personas,
):
    world = build(personas)
    slug = personas.municipality_a.slug
    base = live_server.url
    found: dict[str, list] = {}
    page = _sign_in(browser_page.context.browser, base, personas.coordinator_a, found, check=False)

    page.get_by_role("link", name="Kommune A: Leitbild und Präventionskette").click()
    page.wait_for_url(base + reverse("prevention_chains:chain", args=[slug]))
    count, text = _cell(page, world.health, world.kita)
    assert (count, "Lücke" in text) == (0, True)
    assert _cell(page, world.family, world.early)[0] == 4  # the drafts do not count
    gaps = _gap_count(page)

    page.get_by_role("navigation", name="Bausteine der Präventionskette").get_by_role(
        "link", name="Angebote", exact=True
    ).click()
    page.get_by_role("link", name="Neues Angebot").click()
    page.wait_for_url("**/angebote/neu/")
    page.get_by_label("Titel").fill(NEW_OFFERING)
    page.get_by_label("Status").select_option(label="veröffentlicht")
    page.get_by_role("group", name="Lebensphasen").get_by_label(world.kita.name).check()
    page.get_by_role("group", name="Handlungsfelder").get_by_label(world.health.name).check()
    page.get_by_role("button", name="Angebot speichern").click()
    page.wait_for_url(re.compile(r".*/angebote/\d+/$"))
    expect(page.get_by_text(f"Das Angebot „{NEW_OFFERING}“ ist gespeichert.")).to_be_visible()
    assert Offering.objects.get(title=NEW_OFFERING).status == OfferingStatus.PUBLISHED

    page.goto(base + reverse("prevention_chains:chain", args=[slug]))
    count, text = _cell(page, world.health, world.kita)
    assert count == 1
    assert "Lücke" not in text
    assert _gap_count(page) == gaps - 1
    cell_link = page.locator("table.chain-matrix").get_by_role("link", name="1 Angebot")
    expect(cell_link.first).to_be_visible()

    # The library: a published good practice of Kommune B, adopted as a draft of A.
    page.goto(base + "/start/")
    page.get_by_role("link", name="Gute Praxis anderer Kommunen").click()
    page.wait_for_url(base + reverse("prevention_chains:good_practice_library"))
    page.get_by_role("link", name=world.entry_b.title).click()
    page.wait_for_url(
        base + reverse("prevention_chains:good_practice_detail", args=[world.entry_b.pk])
    )
    expect(page.get_by_text("Gute Praxis aus Kommune B")).to_be_visible()
    page.get_by_role("button", name="In unsere Präventionskette übernehmen").click()
    page.wait_for_url("**/uebernehmen/**")
    page.get_by_role("button", name="Ja, als Entwurf übernehmen").click()
    page.wait_for_url(re.compile(r".*/angebote/\d+/bearbeiten/$"))
    adopted = Offering.objects.get(adopted_from=world.entry_b)
    assert adopted.municipality == personas.municipality_a
    assert page.url == base + reverse("prevention_chains:offering_edit", args=[adopted.pk])
    expect(page.get_by_text("ist als Entwurf in Ihrer Präventionskette angelegt")).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value(OfferingStatus.DRAFT)
    expect(page.get_by_label("Titel")).to_have_value(world.entry_b.title)
    origin = page.get_by_role("link", name=world.entry_b.title)
    expect(origin).to_have_attribute(
        "href", reverse("prevention_chains:good_practice_detail", args=[world.entry_b.pk])
    )
    assert Adoption.objects.filter(good_practice=world.entry_b).count() == 1


def test_public_finder_by_age_and_language(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
    personas,
):
    world = build(personas)
    base = live_server.url
    page = browser_page

    page.goto(base + reverse("prevention_chains:finder"))
    page.get_by_label("Alter des Kindes (Jahre)").fill("1")
    page.get_by_label("Sprache").select_option(label="Türkisch")
    page.get_by_role("button", name="Angebote suchen").click()
    page.wait_for_url("**/angebote/?*alter=1*")
    filtered_url = page.url
    assert "sprache=tr" in filtered_url
    results = page.get_by_role("region", name="Ergebnisse")
    expect(results.get_by_role("heading", name=world.babytreff.title)).to_be_visible()
    expect(results.get_by_text(world.babytreff_draft.title)).to_have_count(0)
    expect(results.get_by_text("Hausaufgabenhilfe auf Türkisch")).to_have_count(0)  # 6–10
    expect(results.get_by_text("Babyschwimmen im Hallenbad")).to_have_count(0)  # German only

    results.get_by_role("link", name=world.babytreff.title).click()
    page.wait_for_url(base + reverse("prevention_chains:finder_detail", args=[world.babytreff.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.babytreff.title)
    expect(page.get_by_text("Familienzentrum am Markt").first).to_be_visible()

    page.go_back()
    page.wait_for_url(filtered_url)
    expect(page.get_by_label("Alter des Kindes (Jahre)")).to_have_value("1")
    expect(page.get_by_label("Sprache")).to_have_value("tr")
    expect(results.get_by_role("heading", name=world.babytreff.title)).to_be_visible()

    # The draft has no public page at all.
    response = page.goto(
        base + reverse("prevention_chains:finder_detail", args=[world.babytreff_draft.pk])
    )
    assert response.status == 404
