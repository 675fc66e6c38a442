"""The Bescheid PDF: content, rendering once, failures recorded, batches with progress, and two
approvers deciding at once."""

import io
import threading
import zipfile
from decimal import Decimal

import pytest
from django.db import connection, connections
from pypdf import PdfReader

from funding.models import (
    Decision,
    DecisionKind,
    DocumentKind,
    DocumentStatus,
    FundingDocument,
)
from funding.services import decisions, documents
from funding.services.errors import FundingError
from funding.tasks_documents import render_document_task
from tests.factories import StateRoleFactory, UserFactory, enable_totp
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import recommended_application, secure_2028

dworld = test_decisions_world.dworld


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # Text extraction may break words at line ends; compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def document_text(document) -> str:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


def approved(world, approver, **kwargs):
    secure_2028(world)
    options = {"kind": DecisionKind.APPROVAL, "grants": None, "reasons": ""}
    options.update(kwargs)
    return decisions.decide(
        application=world.application, actor=approver, forwarding_allowed=False, **options
    )


@pytest.mark.django_db
def test_bescheid_pdf_renders(personas, dworld):
    decision = approved(dworld, personas.approver)
    document = FundingDocument.objects.get(decision=decision)
    assert render_document_task.delay(document.pk).get() is True
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.progress == 100
    text = document_text(document)
    assert "29.958,00" in text
    assert "59.916,00" in text  # zuwendungsfähige Ausgaben
    assert "KeKiz-2027/0001" in text
    assert "Zuwendungsbescheid(Bewilligung)" in text
    assert "KommuneA,Stadt" in text
    assert "01.01.2027–31.12.2028" in text
    assert "Anteilfinanzierung,50%derzuwendungsfähigenAusgaben,höchstens30.000,00€jeJahr" in text
    assert "ANBest-G" in text
    # Proof of use due six months after the end of each year.
    assert "für2027bis30.06.2028;für2028bis30.06.2029" in text
    assert "Widerspruchsverfahrenfindetnichtstatt" in text
    assert "EineWeiterleitungderZuwendunganDritteistnichtzulässig" in text


@pytest.mark.django_db
def test_amendment_pdf_names_the_amended_bescheid(personas, dworld):
    decision = approved(dworld, personas.approver)
    amended = decisions.amend(
        decision=decision,
        actor=personas.approver,
        grants={2027: Decimal("29958"), 2028: Decimal("15000")},
        reasons="Die Stelle ist 2028 nur zur Hälfte besetzt.",
    )
    document = FundingDocument.objects.get(decision=amended)
    assert documents.render_document(document.pk) is True
    document.refresh_from_db()
    text = document_text(document)
    assert "Änderungsbescheid" in text
    assert "KeKiz-2027/0001-Ä1" in text
    assert "(Az.KeKiz-2027/0001)wirdwiefolgtgeändert" in text
    assert "44.958,00" in text  # new total
    assert "DieStelleist2028nurzurHälftebesetzt." in text


@pytest.mark.django_db
def test_rendering_twice_renders_once(personas, dworld, monkeypatch):
    decision = approved(dworld, personas.approver)
    document = FundingDocument.objects.get(decision=decision)
    calls = []
    original = documents.render_pdf
    monkeypatch.setattr(
        documents, "render_pdf", lambda *args: calls.append(args) or original(*args)
    )
    assert documents.render_document(document.pk) is True
    assert documents.render_document(document.pk) is False
    assert len(calls) == 1


@pytest.mark.django_db
def test_failure_is_recorded(personas, dworld, monkeypatch):
    decision = approved(dworld, personas.approver)
    document = FundingDocument.objects.get(decision=decision)

    def broken(*args):
        raise OSError("font missing")

    monkeypatch.setattr(documents, "render_pdf", broken)
    assert documents.render_document(document.pk) is False
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "erneut an" in document.error
    # Asking again queues it for a new run.
    again = documents.request_document(
        kind=document.kind,
        municipality=document.municipality,
        actor=personas.approver,
        decision=decision,
    )
    assert again.pk == document.pk
    assert again.status == DocumentStatus.QUEUED
    assert again.error == ""


@pytest.mark.django_db
def test_only_state_office_requests_bescheide(personas, dworld):
    decision = approved(dworld, personas.approver)
    for user in (personas.coordinator_a, personas.researcher):
        with pytest.raises(FundingError):
            documents.request_document(
                kind=DocumentKind.BESCHEID,
                municipality=personas.municipality_a,
                actor=user,
                decision=decision,
            )
        with pytest.raises(FundingError):
            documents.request_bescheid_batch(decisions=[decision], actor=user, title="x")


@pytest.mark.django_db
def test_batch_reaches_100_percent(personas, dworld, django_capture_on_commit_callbacks):
    secure_2028(dworld)
    applications = [dworld.application] + [
        recommended_application(dworld.call, municipality, personas.reviewer)
        for municipality in (personas.municipality_b,)
    ]
    decided = [
        decisions.decide(
            application=application,
            actor=personas.approver,
            kind=DecisionKind.APPROVAL,
            grants=None,
            reasons="",
            forwarding_allowed=True,
        )
        for application in applications
    ]
    batch = documents.request_bescheid_batch(
        decisions=decided, actor=personas.state_admin, title="Bescheide 2027"
    )
    progress = documents.batch_progress(batch)
    assert (progress.total, progress.done, progress.percent, progress.finished) == (2, 0, 0, False)
    for document in FundingDocument.objects.filter(batch=batch):
        documents.render_document(document.pk)
    progress = documents.batch_progress(batch)
    assert (progress.done, progress.percent, progress.finished) == (2, 100, True)
    archive = zipfile.ZipFile(io.BytesIO(documents.batch_zip(batch)))
    names = sorted(archive.namelist())
    assert names == ["bescheid-kekiz-20270001.pdf", "bescheid-kekiz-20270002.pdf"]
    assert "KeKiz-2027/0002" in pdf_text(archive.read(names[1]))


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_make_exactly_one_decision(personas, dworld):
    secure_2028(dworld)
    second = type(personas.approver).objects.get(pk=personas.approver.pk)
    colleague = StateRoleFactory(role="state_approver", user=UserFactory()).user
    enable_totp(colleague)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide_as(user):
        try:
            barrier.wait(timeout=10)
            decisions.decide(
                application=dworld.application,
                actor=user,
                kind=DecisionKind.APPROVAL,
                grants=None,
                reasons="",
                forwarding_allowed=True,
            )
            outcomes.append("decided")
        except FundingError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide_as, args=(user,)) for user in (second, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "decided"
    assert outcomes.count("decided") == 1
    assert "Votum" in next(message for message in outcomes if message != "decided")
    assert Decision.objects.filter(application=dworld.application).count() == 1
    connection.close()
