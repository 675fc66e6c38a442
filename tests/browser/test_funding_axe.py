"""The funding pages the flow test (test_funding_flow.py) and the decision test
(tests/funding/test_decisions_browser.py) do not reach, in Chromium with axe-core: zero
WCAG 2.1 A/AA violations, with data on every page and, where a form can be refused, also with
its errors shown. One browser context per persona: the coordinator of Kommune A, the reviewer,
the state administration and a visitor who is not signed in."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import (
    ApplicationStatus,
    BudgetStatus,
    Comment,
    CommentVisibility,
    PaymentStatus,
)
from funding.services import proofs
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories_funding import (
    ApplicationFactory,
    BudgetFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)
from tests.funding.test_decisions_browser import sign_in
from tests.funding.test_payments_world import open_request
from tests.funding.test_proofs_world import GRANT, decide, pay

pytestmark = pytest.mark.browser


@dataclass
class FundingWorld:
    draft: object
    approved: object
    submitted_b: object
    rule: object
    call: object
    budget: object
    payment_request: object
    proof_submitted: object
    proof_draft: object


def _world(personas) -> FundingWorld:
    """Kommune A: a draft in the open call 2027–2028 and an approved application of the call
    2025–2026 (Bescheid final, 2025 paid out and its proof submitted, 2026 requested and its
    proof begun); Kommune B: a submitted application waiting in the review queue."""
    today = timezone.localdate()
    rule = FundingRuleFactory()
    call = CallFactory(
        programme=rule.programme,
        title="Förderaufruf 2027–2028",
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
    )
    old_call = CallFactory(
        programme=rule.programme,
        title="Förderaufruf 2025–2026",
        first_year=2025,
        last_year=2026,
        opens_on=date(2024, 9, 1),
        closes_on=date(2024, 12, 31),
    )
    budgets = [BudgetFactory(programme=rule.programme, fiscal_year=y) for y in (2025, 2026, 2027)]
    BudgetFactory(
        programme=rule.programme,
        fiscal_year=2028,
        status=BudgetStatus.PLANNED,
        amount=Decimal("800000.00"),
    )

    draft = ApplicationFactory(
        call=call, municipality=personas.municipality_a, created_by=personas.coordinator_a
    )
    for year in (2027, 2028):
        planned_year(draft, year)
    submitted_b = ApplicationFactory(
        call=call,
        municipality=personas.municipality_b,
        created_by=personas.coordinator_b,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    planned_year(submitted_b, 2027)

    approved = ApplicationFactory(
        call=old_call,
        municipality=personas.municipality_a,
        created_by=personas.coordinator_a,
        status=ApplicationStatus.APPROVED,
        submitted_at=timezone.now() - timedelta(days=700),
        forwarding_requested=True,
        forwarding_recipient="Diakonie Musterstadt e. V.",
    )
    for year in (2025, 2026):
        planned_year(approved, year)
    decision, _years = decide(approved, personas.approver, grants={2025: GRANT, 2026: GRANT})
    decision.final_on = date(2025, 2, 1)
    decision.period_start, decision.period_end = date(2025, 1, 1), date(2026, 12, 31)
    decision.forwarding_allowed = True
    decision.save()
    for visibility, text in (
        (CommentVisibility.MUNICIPALITY, "Bitte reichen Sie den Ratsbeschluss nach."),
        (CommentVisibility.INTERNAL, "Haushaltsstelle geprüft."),
    ):
        Comment.objects.create(
            application=approved, author=personas.reviewer, visibility=visibility, text=text
        )
    pay(approved, 2025, GRANT, date(2025, 3, 1), personas)
    payment_request = open_request(
        approved,
        personas.coordinator_a,
        year=2026,
        needed_on=today + timedelta(days=10),
        status=PaymentStatus.REQUESTED,
    )

    proof_submitted = proofs.open_proof(
        application=approved, year=2025, actor=personas.coordinator_a
    )
    line = proof_submitted.lines.get()
    proof_submitted = proofs.save_proof(
        proof=proof_submitted,
        actor=personas.coordinator_a,
        expected_version=proof_submitted.version,
        narrative="Die Koordinationsstelle war das ganze Jahr besetzt.",
        lines=[{"id": line.pk, "actual": Decimal("55000.00")}],
        actual_own_funds=proof_submitted.actual_own_funds,
        actual_third_party_funds=proof_submitted.actual_third_party_funds,
    )
    proof_submitted = proofs.submit_proof(
        proof=proof_submitted,
        actor=personas.coordinator_a,
        expected_version=proof_submitted.version,
    )
    proof_draft = proofs.open_proof(application=approved, year=2026, actor=personas.coordinator_a)
    return FundingWorld(
        draft=draft,
        approved=approved,
        submitted_b=submitted_b,
        rule=rule,
        call=call,
        budget=budgets[-1],
        payment_request=payment_request,
        proof_submitted=proof_submitted,
        proof_draft=proof_draft,
    )


def _page_for(browser, base, user=None):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if user is not None:
        sign_in(page, base, user)
    return page


def _visit(page, url, name, found):
    response = page.goto(url)
    assert response.status == 200, f"{name}: {url} → {response.status}"
    _check(page, name, found)


def _coordinator_pages(page, base, world, personas, found):
    draft, approved = world.draft, world.approved
    slug = personas.municipality_a.slug

    _visit(page, base + reverse("funding:application_list"), "application_list", found)
    expect(page.get_by_role("link", name=draft.number)).to_be_visible()
    expect(page.get_by_role("link", name=approved.number)).to_be_visible()
    _visit(
        page,
        base + reverse("funding:application_list") + "?status=approved",
        "application_list_filtered",
        found,
    )
    expect(page.get_by_role("link", name=draft.number)).to_have_count(0)
    _visit(
        page,
        base + reverse("funding:application_list") + "?q=gibtsnicht",
        "application_list_empty",
        found,
    )
    expect(page.get_by_text("Kein Antrag passt zu diesen Filtern.")).to_be_visible()

    _visit(
        page,
        base + reverse("funding:application_plan", args=[draft.pk, 2027]),
        "application_plan",
        found,
    )
    page.get_by_label("Arbeitgeberkosten je Monat (€)").fill("viel")
    page.get_by_label("Eigenmittel (€)").fill("")
    page.get_by_role("button", name="Finanzierungsplan speichern").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Nicht gespeichert")).to_be_visible()
    _check(page, "application_plan_errors", found)

    _visit(
        page,
        base + reverse("funding:application_attachments", args=[draft.pk]),
        "attachments",
        found,
    )
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "notiz.txt", "mimeType": "text/plain", "buffer": b"keine Anlage"}
    )
    page.get_by_role("button", name="Hochladen").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("„notiz.txt“ ist kein PDF-, PNG- oder JPEG-Dokument.")).to_be_visible()
    _check(page, "attachments_error", found)

    _visit(
        page,
        base + reverse("funding:application_withdraw", args=[draft.pk]),
        "withdraw_confirm",
        found,
    )
    page.get_by_role("button", name="Antrag zurückziehen").click()
    page.wait_for_load_state("networkidle")
    _check(page, "withdraw_confirm_errors", found)

    _visit(
        page,
        base + reverse("funding:application_comments", args=[approved.pk]),
        "comments_municipality",
        found,
    )
    expect(page.get_by_text("Bitte reichen Sie den Ratsbeschluss nach.")).to_be_visible()
    expect(page.get_by_text("Haushaltsstelle geprüft.")).to_have_count(0)

    _visit(
        page, base + reverse("funding:application_payments", args=[approved.pk]), "payments", found
    )
    page.get_by_role("button", name="Mittelabruf stellen").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Der Mittelabruf wurde nicht gestellt")).to_be_visible()
    _check(page, "payments_request_errors", found)

    _visit(
        page,
        base + reverse("funding:application_proofs", args=[approved.pk]),
        "proofs_list",
        found,
    )
    _visit(
        page,
        base + reverse("funding:proof_edit", args=[world.proof_draft.pk]),
        "proof_edit",
        found,
    )
    _visit(
        page, base + reverse("funding:application_history", args=[approved.pk]), "history", found
    )

    _visit(
        page,
        base + reverse("funding:municipality_coverage", args=[slug]),
        "municipality_coverage",
        found,
    )
    _visit(page, base + reverse("funding:status_report", args=[slug]), "status_report", found)
    page.get_by_role("button", name="Förderbericht erstellen").click()
    page.wait_for_load_state("networkidle")
    _check(page, "status_report_requested", found)


def _reviewer_pages(page, base, world, personas, found):
    approved = world.approved
    bezirk = personas.municipality_b.regierungsbezirk
    queue = base + reverse("funding:review_queue")
    _visit(
        page,
        f"{queue}?status=submitted&jahr=2027&bezirk={bezirk}",
        "review_queue_filtered",
        found,
    )
    expect(page.get_by_role("link", name=world.submitted_b.number)).to_be_visible()
    _visit(page, f"{queue}?suche=gibtsnicht", "review_queue_empty", found)
    expect(page.get_by_text("Kein Antrag passt zu diesen Filtern.")).to_be_visible()
    _visit(page, f"{queue}?jahr=1999", "review_queue_bad_filter", found)
    expect(page.get_by_text("Die Filter konnten nicht angewendet werden.")).to_be_visible()

    _visit(
        page,
        base + reverse("funding:application_comments", args=[approved.pk]),
        "comments_state_office",
        found,
    )
    expect(page.get_by_text("Haushaltsstelle geprüft.")).to_be_visible()
    page.get_by_role("button", name="Kommentar speichern").click()
    page.wait_for_load_state("networkidle")
    _check(page, "comments_errors", found)

    _visit(page, base + reverse("funding:payment_queue"), "payment_queue", found)
    expect(page.get_by_text(approved.number).first).to_be_visible()
    _visit(
        page,
        base + reverse("funding:payment_check", args=[world.payment_request.pk]),
        "payment_check",
        found,
    )

    proof = world.proof_submitted
    _visit(page, base + reverse("funding:proof_edit", args=[proof.pk]), "proof_submitted", found)
    _visit(page, base + reverse("funding:proof_check", args=[proof.pk]), "proof_check", found)
    page.get_by_label("Prüfvermerk").fill("Sachbericht schlüssig, Belege vollständig.")
    page.get_by_role("button", name="Ergebnis berechnen").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("button", name="Prüfvermerk speichern")).to_be_visible()
    _check(page, "proof_check_preview", found)


def _administration_pages(page, base, world, personas, found):
    _visit(page, base + reverse("funding:administration"), "administration", found)
    _visit(page, base + reverse("funding:rule_list"), "rule_list", found)
    _visit(page, base + reverse("funding:rule_edit", args=[world.rule.pk]), "rule_edit", found)
    _visit(page, base + reverse("funding:rule_create"), "rule_create", found)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state("networkidle")
    _check(page, "rule_create_errors", found)
    _visit(page, base + reverse("funding:call_list"), "call_list", found)
    _visit(page, base + reverse("funding:call_edit", args=[world.call.pk]), "call_edit", found)
    _visit(page, base + reverse("funding:call_create"), "call_create", found)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state("networkidle")
    _check(page, "call_create_errors", found)
    _visit(page, base + reverse("funding:budget_list"), "budget_list", found)
    _visit(
        page, base + reverse("funding:budget_list") + "?jahr=2028", "budget_list_filtered", found
    )
    _visit(
        page, base + reverse("funding:budget_edit", args=[world.budget.pk]), "budget_edit", found
    )
    _visit(page, base + reverse("funding:budget_create"), "budget_create", found)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state("networkidle")
    _check(page, "budget_create_errors", found)
    _visit(page, base + reverse("funding:export"), "export", found)
    _visit(page, base + reverse("funding:coverage"), "coverage", found)
    _visit(
        page,
        base + reverse("funding:municipality_coverage", args=[personas.municipality_a.slug]),
        "municipality_coverage_state_office",
        found,
    )


def test_funding_pages_have_no_axe_violations(
    live_server,  # noqa: F811
    transactional_db,
    browser_page,  # noqa: F811
    personas,
):
    world = _world(personas)
    base = live_server.url
    browser = browser_page.context.browser
    found: dict[str, list] = {}

    _visit(browser_page, base + reverse("funding:open_calls"), "open_calls_public", found)
    expect(browser_page.get_by_text(world.call.title)).to_be_visible()

    _coordinator_pages(
        _page_for(browser, base, personas.coordinator_a), base, world, personas, found
    )
    _reviewer_pages(_page_for(browser, base, personas.reviewer), base, world, personas, found)
    _administration_pages(
        _page_for(browser, base, personas.state_admin), base, world, personas, found
    )

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
