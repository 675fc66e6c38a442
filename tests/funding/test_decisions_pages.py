"""Decision pages: who sees and does what, the forms keep input on refusal, PDF download,
waiver with confirmation, batches with progress and ZIP."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import ApplicationStatus, Decision, DecisionKind, DocumentStatus
from funding.services import decisions, documents
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import secure_2028

pytestmark = pytest.mark.django_db

dworld = test_decisions_world.dworld


def decided(world, approver):
    secure_2028(world)
    return decisions.decide(
        application=world.application,
        actor=approver,
        kind=DecisionKind.APPROVAL,
        grants=None,
        reasons="",
        forwarding_allowed=True,
    )


def rendered(decision):
    documents.render_document(decision.document.pk)
    decision.document.refresh_from_db()
    return decision


def page(application):
    return reverse("funding:application_decisions", args=[application.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_a", 200),
        ("viewer_a", 200),
        ("companion_a", 200),
        ("reviewer", 200),
        ("approver", 200),
        ("state_admin", 200),
        ("coordinator_b", 404),
        ("researcher", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_the_decisions(client, personas, dworld, persona, status):
    decision = rendered(decided(dworld, personas.approver))
    client.force_login(getattr(personas, persona))
    response = client.get(page(dworld.application))
    assert response.status_code == status
    pdf = client.get(reverse("funding:decision_pdf", args=[decision.pk]))
    assert pdf.status_code == status
    document = client.get(reverse("funding:document_download", args=[decision.document.pk]))
    assert document.status_code == status
    if status == 200:
        assert decision.file_reference in response.content.decode()
        assert "29.958,00" in response.content.decode()
        assert pdf["Content-Type"] == "application/pdf"
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_approver_sees_recommendation_coverage_and_form(client, personas, dworld):
    client.force_login(personas.approver)
    response = client.get(page(dworld.application))
    text = response.content.decode()
    assert "Bescheid erlassen" in text
    assert "Förderfähig." in text  # the Votum's note
    assert "nicht gesichert" in text  # 2028 only planned
    assert "800.000,00" in text


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_a", "viewer_a", "state_admin"])
def test_others_get_no_decision_form(client, personas, dworld, persona):
    client.force_login(getattr(personas, persona))
    assert "Bescheid erlassen" not in client.get(page(dworld.application)).content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "reviewer", "state_admin"])
def test_only_approvers_post_decisions(client, personas, dworld, persona):
    secure_2028(dworld)
    client.force_login(getattr(personas, persona))
    response = client.post(
        page(dworld.application),
        {"form": "decide", "kind": "approval", "version": dworld.application.version},
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_coordinator_b_cannot_post(client, personas, dworld):
    client.force_login(personas.coordinator_b)
    response = client.post(page(dworld.application), {"form": "decide", "kind": "approval"})
    assert response.status_code == 404


def test_refusal_keeps_the_input_and_names_the_year(client, personas, dworld):
    client.force_login(personas.approver)
    response = client.post(
        page(dworld.application),
        {
            "form": "decide",
            "kind": "approval",
            "reasons": "Meine Begründung",
            "version": dworld.application.version,
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Für 2028 sind keine Haushaltsmittel gesichert" in text
    assert "Meine Begründung" in text
    assert not Decision.objects.exists()


def test_approver_decides_through_the_page(client, personas, dworld):
    secure_2028(dworld)
    client.force_login(personas.approver)
    response = client.post(
        page(dworld.application),
        {
            "form": "decide",
            "kind": "partial_approval",
            "grant_2027": "20.000,00",
            "grant_2028": "0",
            "reasons": "2028 entfällt.",
            "version": dworld.application.version,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.PARTIAL_APPROVAL
    assert list(decision.years.values_list("year", "grant")) == [(2027, Decimal("20000.00"))]
    text = client.get(page(dworld.application)).content.decode()
    assert "Änderungsbescheid erlassen" in text
    response = client.post(
        page(dworld.application),
        {"form": "amend", "grant_2027": "29.958,00", "grant_2028": "0", "reasons": "Nachweis."},
    )
    assert response.status_code == 302
    assert Decision.objects.get(is_current=True).kind == DecisionKind.AMENDMENT


def test_waiver_needs_confirmation(client, personas, dworld):
    decision = decided(dworld, personas.approver)
    url = reverse("funding:decision_waiver", args=[decision.pk])
    for persona, status in (("viewer_a", 403), ("approver", 403), ("coordinator_b", 404)):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == status
        assert client.post(url, {"confirm": "on"}).status_code == status
    client.force_login(personas.coordinator_a)
    assert "Rechtsbehelfsverzicht erklären" in client.get(page(dworld.application)).content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    decision.refresh_from_db()
    assert decision.remedy_waived_at is None
    assert client.post(url, {"confirm": "on"}).status_code == 302
    decision.refresh_from_db()
    assert decision.remedy_waived_at is not None


def test_pdf_not_ready_is_404(client, personas, dworld):
    decision = decided(dworld, personas.approver)
    client.force_login(personas.coordinator_a)
    assert client.get(reverse("funding:decision_pdf", args=[decision.pk])).status_code == 404
    status = client.get(reverse("funding:document_status", args=[decision.document.pk]))
    assert 'hx-trigger="every 2s"' in status.content.decode()


def test_batch_pages(client, personas, dworld, django_capture_on_commit_callbacks):
    decision = decided(dworld, personas.approver)
    create = reverse("funding:document_batch_create")
    for persona in ("coordinator_a", "viewer_a", "researcher", "outsider"):
        client.force_login(getattr(personas, persona))
        assert client.get(create).status_code == 404
    client.force_login(personas.state_admin)
    assert client.get(create).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create, {"call": dworld.call.pk, "scope": "missing"})
    assert response.status_code == 302
    batch_url = response["Location"]
    text = client.get(batch_url).content.decode()
    assert "1 von 1 Bescheiden erstellt" in text
    assert "ZIP" in text
    batch = decision.document.__class__.objects.get(decision=decision).batch
    archive = client.get(reverse("funding:document_batch_zip", args=[batch.pk]))
    assert archive.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == [
        "bescheid-kekiz-20270001.pdf"
    ]
    # Nothing left without a PDF: the next "missing" batch has nothing to do.
    response = client.post(create, {"call": dworld.call.pk, "scope": "missing"})
    assert response.status_code == 400
    assert "keine Bescheide ausgewählt" in response.content.decode()
    for persona in ("coordinator_a", "viewer_a", "outsider"):
        client.force_login(getattr(personas, persona))
        assert client.get(batch_url).status_code == 404
        assert client.get(reverse("funding:document_batch_zip", args=[batch.pk])).status_code == 404


def test_batch_progress_polls_until_finished(client, personas, dworld):
    decision = decided(dworld, personas.approver)
    batch = documents.request_bescheid_batch(
        decisions=[decision], actor=personas.state_admin, title="Test"
    )
    client.force_login(personas.state_admin)
    url = reverse("funding:document_batch_progress", args=[batch.pk])
    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()
    documents.render_document(decision.document.pk)
    assert decision.document.__class__.objects.get(pk=decision.document.pk).status == (
        DocumentStatus.DONE
    )
    assert 'hx-trigger="every 2s"' not in client.get(url).content.decode()


def test_decisions_page_queries_do_not_grow(
    client, personas, dworld, django_assert_max_num_queries
):
    decision = decided(dworld, personas.approver)
    for grant in ("20000", "21000", "22000"):
        decision = decisions.amend(
            decision=decision,
            actor=personas.approver,
            grants={2027: Decimal(grant), 2028: Decimal(grant)},
            reasons="Änderung.",
        )
    client.force_login(personas.approver)
    with django_assert_max_num_queries(22):
        response = client.get(page(dworld.application))
    assert response.content.decode().count("Änderungsbescheid KeKiz") == 3
    assert dworld.application.__class__.objects.get().status == ApplicationStatus.PARTIALLY_APPROVED
