"""Proof-of-use pages: who sees and does what, the form keeps input on error, the check shows
its result before it is stored, the Prüfvermerk PDF carries the clawback."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from funding.models import ProofOfUse, ProofStatus
from funding.services import proofs
from tests.funding import test_proofs_world
from tests.funding.test_proofs_world import GRANT, World, decide, opened, pay

world = test_proofs_world.world

READERS = ("coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin")
STRANGERS = ("coordinator_b", "researcher", "outsider")


@pytest.fixture(autouse=True)
def base_rate(settings):
    settings.FUNDING_BASE_RATE_PERCENT = "1.27"


def as_user(client, user):
    client.force_login(user)
    return client


def submitted(world, personas, actual=Decimal("50000")):
    proof = opened(world, personas, actual=actual, narrative="Die Kette wächst.")
    return proofs.submit_proof(
        proof=proof, actor=personas.coordinator_a, expected_version=proof.version
    )


def checked(world, personas):
    return proofs.check_proof(
        proof=submitted(world, personas),
        actor=personas.reviewer,
        check_note="Ausgaben nur teilweise angefallen.",
        recognised_eligible=None,
        interest_until=date(2028, 9, 30),
    )


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_years_and_the_proof(client, world: World, personas, persona):
    proof = submitted(world, personas)
    as_user(client, getattr(personas, persona))
    page = client.get(reverse("funding:application_proofs", args=[world.application.pk]))
    assert page.status_code == 200
    assert "30.06.2028" in page.text
    assert "29.958,00" in page.text
    detail = client.get(reverse("funding:proof_edit", args=[proof.pk]))
    assert detail.status_code == 200
    assert "Die Kette wächst." in detail.text


@pytest.mark.parametrize("persona", STRANGERS)
def test_strangers_get_404_everywhere(client, world: World, personas, persona):
    proof = submitted(world, personas)
    as_user(client, getattr(personas, persona))
    pk = world.application.pk
    for method, url in (
        ("get", reverse("funding:application_proofs", args=[pk])),
        ("post", reverse("funding:proof_open", args=[pk, 2027])),
        ("get", reverse("funding:proof_edit", args=[proof.pk])),
        ("post", reverse("funding:proof_edit", args=[proof.pk])),
        ("get", reverse("funding:proof_submit", args=[proof.pk])),
        ("get", reverse("funding:proof_check", args=[proof.pk])),
        ("get", reverse("funding:proof_return", args=[proof.pk])),
        ("get", reverse("funding:proof_check_pdf", args=[proof.pk])),
    ):
        assert getattr(client, method)(url).status_code == 404, url


def test_viewer_cannot_open_edit_or_check(client, world: World, personas):
    proof = opened(world, personas)
    as_user(client, personas.viewer_a)
    assert (
        "beginnen"
        not in client.get(reverse("funding:application_proofs", args=[world.application.pk])).text
    )
    assert client.post(reverse("funding:proof_edit", args=[proof.pk])).status_code == 404
    assert client.get(reverse("funding:proof_submit", args=[proof.pk])).status_code == 404
    assert client.get(reverse("funding:proof_check", args=[proof.pk])).status_code == 404
    page = client.get(reverse("funding:proof_edit", args=[proof.pk]))
    assert 'name="narrative"' not in page.text


def test_coordinator_opens_fills_and_submits(client, world: World, personas):
    pay(world.application, 2027, GRANT, date(2027, 3, 1), personas)
    as_user(client, personas.coordinator_a)
    listing = client.get(reverse("funding:application_proofs", args=[world.application.pk]))
    assert "Nachweis 2027 beginnen" in listing.text
    response = client.post(reverse("funding:proof_open", args=[world.application.pk, 2027]))
    proof = ProofOfUse.objects.get()
    assert response.url == reverse("funding:proof_edit", args=[proof.pk])
    line = proof.lines.get()
    data = {
        "version": proof.version,
        "narrative": "Netzwerk aufgebaut.",
        "actual_own_funds": "25.000,00",
        "actual_third_party_funds": "0",
        f"line_{line.pk}": "50.000,00",
        "submit": "",
    }
    response = client.post(reverse("funding:proof_edit", args=[proof.pk]), data)
    assert response.url == reverse("funding:proof_submit", args=[proof.pk])
    line.refresh_from_db()
    assert line.actual == Decimal("50000.00")
    confirm = client.get(response.url)
    assert "Einreichen" in confirm.text
    proof.refresh_from_db()
    response = client.post(response.url, {"version": proof.version, "confirmed": "on"})
    assert response.status_code == 302
    proof.refresh_from_db()
    assert proof.status == ProofStatus.SUBMITTED


def test_stale_form_keeps_what_was_typed(client, world: World, personas):
    proof = opened(world, personas)
    line = proof.lines.get()
    as_user(client, personas.coordinator_a)
    data = {
        "version": proof.version - 1 if proof.version > 1 else 0,
        "narrative": "Mein langer Bericht",
        "actual_own_funds": "1",
        "actual_third_party_funds": "0",
        f"line_{line.pk}": "123",
    }
    response = client.post(reverse("funding:proof_edit", args=[proof.pk]), data)
    assert response.status_code == 400
    assert "inzwischen" in response.text
    assert "Mein langer Bericht" in response.text
    proof.refresh_from_db()
    assert proof.narrative == ""


def test_submit_page_lists_the_gaps(client, world: World, personas):
    proof = opened(world, personas)
    as_user(client, personas.coordinator_a)
    page = client.get(reverse("funding:proof_submit", args=[proof.pk]))
    assert "Der Sachbericht fehlt" in page.text
    assert 'name="confirmed"' not in page.text


def test_check_shows_the_result_before_storing_it(client, world: World, personas):
    proof = submitted(world, personas)
    as_user(client, personas.reviewer)
    url = reverse("funding:proof_check", args=[proof.pk])
    data = {"check_note": "Teilweise.", "recognised_eligible": "", "interest_until": "2028-09-30"}
    preview = client.post(url, {**data, "preview": ""})
    assert preview.status_code == 200
    assert "25.000,00" in preview.text
    assert "4.958,00" in preview.text
    assert "493,13" in preview.text
    proof.refresh_from_db()
    assert proof.status == ProofStatus.SUBMITTED
    # Confirming other figures than those previewed shows the preview again.
    changed = client.post(
        url, {**data, "recognised_eligible": "40000", "confirm": "", "previewed": "None|2028-09-30"}
    )
    assert changed.status_code == 200
    proof.refresh_from_db()
    assert proof.status == ProofStatus.SUBMITTED
    response = client.post(url, {**data, "confirm": "", "previewed": "None|2028-09-30"})
    assert response.status_code == 302
    proof.refresh_from_db()
    assert (proof.status, proof.clawback_amount) == (ProofStatus.CHECKED, Decimal("4958.00"))


def test_approver_is_not_the_checker(client, world: World, personas):
    proof = submitted(world, personas)
    as_user(client, personas.approver)
    assert client.get(reverse("funding:proof_check", args=[proof.pk])).status_code == 404
    assert client.post(reverse("funding:proof_return", args=[proof.pk])).status_code == 404


def test_return_needs_a_reason_and_shows_it_to_the_municipality(client, world: World, personas):
    proof = submitted(world, personas)
    as_user(client, personas.reviewer)
    url = reverse("funding:proof_return", args=[proof.pk])
    assert client.post(url, {"message": ""}).status_code == 400
    assert client.post(url, {"message": "Belege fehlen."}).status_code == 302
    as_user(client, personas.coordinator_a)
    page = client.get(reverse("funding:proof_edit", args=[proof.pk]))
    assert "Belege fehlen." in page.text
    assert 'name="narrative"' in page.text


def test_pdf_of_the_pruefvermerk(client, world: World, personas):
    proof = checked(world, personas)
    as_user(client, personas.viewer_a)
    response = client.get(reverse("funding:proof_check_pdf", args=[proof.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "4.958,00" in text
    assert "493,13" in text
    assert "Ausgaben nur teilweise angefallen." in text


def test_pdf_only_once_checked(client, world: World, personas):
    proof = submitted(world, personas)
    as_user(client, personas.reviewer)
    assert client.get(reverse("funding:proof_check_pdf", args=[proof.pk])).status_code == 404


def test_proof_page_queries_do_not_grow_with_years(
    client, world: World, personas, django_assert_max_num_queries
):
    as_user(client, personas.reviewer)
    url = reverse("funding:application_proofs", args=[world.application.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    world.decision.is_current = False
    world.decision.save()
    decide(world.application, personas.approver, grants=dict.fromkeys(range(2020, 2030), GRANT))
    for year in range(2020, 2030):
        pay(world.application, year, GRANT, date(year, 3, 1), personas)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.text.count("30.06.") == 10


def test_overdue_years_are_highlighted(client, world: World, personas, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2027, 11, 1))
    world.decision.is_current = False
    world.decision.save()
    decide(world.application, personas.approver, grants={2020: GRANT, 2027: GRANT})
    as_user(client, personas.viewer_a)
    page = client.get(reverse("funding:application_proofs", args=[world.application.pk]))
    assert "30.06.2021 – überfällig" in page.text
    assert "30.06.2028 – überfällig" not in page.text


def test_proof_still_reads_after_an_amendment_took_the_year_back(client, world: World, personas):
    proof = opened(world, personas, actual=Decimal("100"), narrative="Bericht")
    world.decision.is_current = False
    world.decision.save()
    decide(world.application, personas.approver, grants={2028: GRANT})
    as_user(client, personas.coordinator_a)
    assert client.get(reverse("funding:proof_edit", args=[proof.pk])).status_code == 200
