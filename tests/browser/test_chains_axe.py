"""Every prevention-chain page in Chromium with axe-core: zero WCAG 2.1 A/AA violations, with
data on each page (tests/browser/chains_world.py) and, where a form can be refused, also with
its errors shown. One browser context per persona: the coordinator of Kommune A (signed in
through the login form), the state administration, and a family without an account. The flow
of issue 5 itself is in test_chains_flow.py."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.chains_world import build
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_funding_axe import _page_for, _visit
from tests.browser.test_funding_flow import _sign_in
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture

pytestmark = pytest.mark.browser

IMPORT_WITH_AN_ERROR = (
    "Kennung;Titel;Lebensphasen;Handlungsfelder\n"
    "A;Elterncafé am Markt;kita;familie\n"
    "B;Schwimmen;Schulzeit;familie\n"
).encode()


def _url(name, *args, query=""):
    return reverse(f"prevention_chains:{name}", args=args) + query


def _submit(page, button, name, found, *, expect_text):
    """Send the form as it is and check the page with the refusal shown."""
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(expect_text).first).to_be_visible()
    _check(page, name, found)


def _chain_pages(page, base, world, found):
    slug = world.personas.municipality_a.slug
    _visit(page, base + _url("chain", slug), "chain_hub", found)
    expect(page.get_by_text("Lücke", exact=True).first).to_be_visible()
    expect(page.get_by_text("dünn besetzt", exact=True).first).to_be_visible()
    _visit(
        page,
        base
        + _url("chain", slug, query=f"?sozialraum={world.nord.pk}&zielgruppe=alleinerziehende"),
        "chain_hub_filtered",
        found,
    )
    _visit(page, base + _url("chain_duplicates", slug), "chain_duplicates", found)
    expect(page.get_by_text(world.twins[0].title).first).to_be_visible()
    _visit(page, base + _url("chain_supply", slug), "chain_supply_need_index", found)
    expect(page.get_by_label("Bedarfsindex", exact=True)).to_be_visible()
    expect(page.get_by_text("hoher Bedarf (Rang 1), wenig Angebote")).to_be_visible()


def _leitbild_pages(page, base, world, found):
    slug = world.personas.municipality_a.slug
    _visit(page, base + _url("leitbild_overview", slug), "leitbild_overview", found)
    expect(page.get_by_text(world.leitbild_draft.title).first).to_be_visible()
    _visit(page, base + _url("leitbild_detail", world.leitbild.pk), "leitbild_adopted", found)
    _visit(page, base + _url("leitbild_detail", world.leitbild_draft.pk), "leitbild_draft", found)
    _visit(page, base + _url("leitbild_edit", world.leitbild_draft.pk), "leitbild_edit", found)
    _visit(page, base + _url("goal_create", world.leitbild_draft.pk), "goal_create", found)
    _submit(page, "Speichern", "goal_create_errors", found, expect_text="Nicht gespeichert")
    _visit(
        page, base + _url("goal_indicator_create", world.goal.pk), "goal_indicator_create", found
    )
    _submit(
        page, "Speichern", "goal_indicator_create_errors", found, expect_text="Nicht gespeichert"
    )
    _visit(page, base + _url("leitbild_adopt", world.leitbild_draft.pk), "leitbild_adopt", found)
    _visit(page, base + _url("document_list", slug), "document_list", found)
    _visit(page, base + _url("document_detail", world.document.pk), "document_detail", found)


def _actor_pages(page, base, world, found):
    slug = world.personas.municipality_a.slug
    actors = world.actors
    _visit(page, base + _url("actor_list", slug), "actor_list", found)
    _visit(page, base + _url("actor_detail", actors.kita.pk), "actor_detail", found)
    _visit(page, base + _url("actor_create", slug), "actor_create", found)
    _submit(page, "Speichern", "actor_create_errors", found, expect_text="Nicht gespeichert")
    _visit(page, base + _url("actor_edit", actors.kita.pk), "actor_edit", found)
    _visit(page, base + _url("network_list", slug), "network_list", found)
    _visit(page, base + _url("network_detail", actors.network.pk), "network_detail", found)
    _visit(page, base + _url("network_graph", slug), "network_graph", found)
    _visit(page, base + _url("cooperation_list", slug), "cooperation_list", found)
    _visit(page, base + _url("cooperation_create", slug), "cooperation_create", found)


def _offering_pages(page, base, world, found):
    slug = world.personas.municipality_a.slug
    _visit(page, base + _url("offering_list", slug), "offering_list", found)
    _visit(
        page,
        base + _url("offering_list", slug, query="?q=gibtsnicht"),
        "offering_list_empty",
        found,
    )
    _visit(page, base + _url("offering_detail", world.babytreff.pk), "offering_detail", found)
    _visit(page, base + _url("offering_edit", world.babytreff.pk), "offering_edit", found)
    _visit(page, base + _url("offering_create", slug), "offering_create", found)
    page.get_by_label("Status").select_option(label="veröffentlicht")
    _submit(
        page, "Angebot speichern", "offering_create_errors", found, expect_text="Nicht gespeichert"
    )

    _visit(page, base + _url("offering_import_upload", slug), "offering_import_upload", found)
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        {"name": "angebote.csv", "mimeType": "text/csv", "buffer": IMPORT_WITH_AN_ERROR}
    )
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.get_by_role("heading", name="Vorschau: das würde der Import tun").wait_for()
    expect(page.get_by_role("heading", name="Fehlerhafte Zeile")).to_be_visible()
    _check(page, "offering_import_preview", found)


def _good_practice_pages(page, base, world, found):
    slug = world.personas.municipality_a.slug
    _visit(page, base + _url("good_practice_library"), "good_practice_library", found)
    _visit(
        page,
        base + _url("good_practice_library", query="?q=gibtsnicht"),
        "good_practice_library_empty",
        found,
    )
    _visit(
        page,
        base + _url("good_practice_detail", world.entry_b.pk),
        "good_practice_detail_adoptable",
        found,
    )
    _visit(
        page,
        base + _url("good_practice_adopt", world.entry_b.pk),
        "good_practice_adopt",
        found,
    )
    _visit(
        page,
        base + _url("good_practice_detail", world.proposed_a.pk),
        "good_practice_detail_own_proposal",
        found,
    )
    _visit(page, base + _url("good_practice_mine", slug), "good_practice_mine", found)
    _visit(
        page,
        base + _url("good_practice_propose", slug, world.twins[0].pk),
        "good_practice_propose",
        found,
    )
    _submit(
        page,
        "Vorschlag senden",
        "good_practice_propose_errors",
        found,
        expect_text="Der Vorschlag wurde nicht gesendet.",
    )


def _state_admin_pages(page, base, world, found):
    slug_b = world.personas.municipality_b.slug
    _visit(page, base + _url("taxonomy_overview"), "taxonomy_overview", found)
    _visit(page, base + _url("taxonomy_term_create", "lebensphasen"), "taxonomy_term_create", found)
    _submit(
        page, "Speichern", "taxonomy_term_create_errors", found, expect_text="Nicht gespeichert"
    )
    _visit(
        page,
        base + _url("taxonomy_term_edit", "handlungsfelder", world.family.pk),
        "taxonomy_term_edit",
        found,
    )
    _visit(page, base + _url("good_practice_review"), "good_practice_review", found)
    expect(page.get_by_text(world.proposed_a.title).first).to_be_visible()
    _visit(
        page,
        base + _url("good_practice_decide", world.proposed_a.pk),
        "good_practice_decide",
        found,
    )
    # Kommune B has no Leitbild and no need index yet.
    _visit(page, base + _url("leitbild_overview", slug_b), "leitbild_overview_empty", found)
    _visit(page, base + _url("leitbild_create", slug_b), "leitbild_create", found)
    page.get_by_label("Titel").fill("")
    _submit(
        page, "Entwurf anlegen", "leitbild_create_errors", found, expect_text="Nicht gespeichert"
    )
    _visit(page, base + _url("chain_supply", slug_b), "chain_supply_without_index", found)
    _visit(page, base + _url("chain", slug_b), "chain_hub_empty", found)


def _public_pages(page, base, world, found):
    _visit(page, base + _url("finder", query="?alter=1&sprache=tr"), "finder_results", found)
    expect(page.get_by_role("link", name=world.babytreff.title)).to_be_visible()
    _visit(page, base + _url("finder", query="?q=gibtsnicht&alter=1"), "finder_empty", found)
    expect(page.get_by_text("Kein Angebot passt zu dieser Suche.")).to_be_visible()
    _visit(page, base + _url("finder", query="?alter=vier"), "finder_bad_age", found)
    _visit(page, base + _url("finder_detail", world.babytreff.pk), "finder_detail", found)
    _visit(
        page,
        base + _url("good_practice_detail", world.entry_b.pk),
        "good_practice_detail_public",
        found,
    )


def test_prevention_chain_pages_have_no_axe_violations(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
    personas,
):
    world = build(personas)
    base = live_server.url
    browser = browser_page.context.browser
    found: dict[str, list] = {}

    _public_pages(browser_page, base, world, found)

    # Signed in through the form: the start page with the chain's links is checked too.
    coordinator = _sign_in(browser, base, personas.coordinator_a, found)
    expect(coordinator.get_by_role("link", name="Kommune A: Leitbild und Präventionskette"))
    _chain_pages(coordinator, base, world, found)
    _leitbild_pages(coordinator, base, world, found)
    _actor_pages(coordinator, base, world, found)
    _offering_pages(coordinator, base, world, found)
    _good_practice_pages(coordinator, base, world, found)

    _state_admin_pages(_page_for(browser, base, personas.state_admin), base, world, found)

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
