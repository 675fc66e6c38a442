"""PDF documents: requesting (queued on commit), rendering the Leitbild PDF with disclosure for
readers without raw rights, idempotence, failures, unknown kinds."""

import io

import pytest
from pypdf import PdfReader

from accounts import documents as shared_documents
from accounts.models import DocumentStatus
from prevention_chains import documents
from prevention_chains.errors import ChainError
from prevention_chains.models import ChainDocument, DocumentKind
from prevention_chains.tasks_documents import render_document_task
from tests.factories_chains import LeitbildFactory
from tests.prevention_chains import leitbild_world

pytestmark = pytest.mark.django_db

# The world's fixtures, by name for pytest.
lworld = leitbild_world.lworld
mworld = leitbild_world.mworld


def pdf_bytes(document) -> bytes:
    document.file.open("rb")
    try:
        return document.file.read()
    finally:
        document.file.close()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # Text extraction may break words at line ends; compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def queued(personas, lworld, requester=None):
    return ChainDocument.objects.create(
        municipality=personas.municipality_a,
        kind=DocumentKind.LEITBILD,
        leitbild=lworld.leitbild,
        requested_by=requester or personas.coordinator_a,
    )


def test_request_renders_after_commit(personas, lworld, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = documents.request_document(
            municipality=personas.municipality_a,
            kind=DocumentKind.LEITBILD,
            actor=personas.viewer_a,
            leitbild=lworld.leitbild,
        )
    assert document.status == DocumentStatus.QUEUED
    assert len(callbacks) == 1
    # A second click while it is queued is the same request.
    again = documents.request_document(
        municipality=personas.municipality_a,
        kind=DocumentKind.LEITBILD,
        actor=personas.viewer_a,
        leitbild=lworld.leitbild,
    )
    assert again.pk == document.pk
    callbacks[0]()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


def test_leitbild_pdf_shows_goals_and_lights_as_for_readers_without_raw_rights(
    personas,
    lworld,
):
    document = queued(personas, lworld)
    assert render_document_task.delay(document.pk).get() is True
    document.refresh_from_db()
    assert (document.status, document.progress, document.error) == (DocumentStatus.DONE, 100, "")
    assert document.finished_at is not None
    data = pdf_bytes(document)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "GemeinsamstarkfürKinder" in text
    assert "Ratsbeschlussvom20.März2025" in text
    assert "Rat,Drucksache12/2025" in text
    assert "1.Armutsenken" in text
    assert "1.1FamilieninNorderreichen" in text
    assert "keineVerbesserung" in text  # the municipality: 10.3 % against 10 → 8
    # Nord's 5.0 % is below k: hidden although the coordinator asked for the PDF.
    assert "Wertnichtdarstellbar(Datenschutz)" in text
    goals = text.split("1.Armutsenken", 1)[1]
    assert "imPlan" not in goals
    assert "5,0" not in goals


def test_running_twice_renders_once(personas, lworld, monkeypatch):
    calls = []
    original = documents.render_pdf
    monkeypatch.setattr(
        documents, "render_pdf", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    document = queued(personas, lworld)
    assert documents.render_document(document_id=document.pk) is True
    assert documents.render_document(document_id=document.pk) is False
    assert len(calls) == 1


def test_progress_rises(personas, lworld, monkeypatch):
    seen = []
    original = shared_documents.save_progress

    def spy(document, percent):
        original(document, percent)
        seen.append(ChainDocument.objects.get(pk=document.pk).progress)

    monkeypatch.setattr(shared_documents, "save_progress", spy)
    document = queued(personas, lworld)
    documents.render_document(document_id=document.pk)
    assert seen == sorted(seen)
    assert {10, 60, 80, 95} <= set(seen)


def test_failure_is_recorded_in_german(personas, lworld, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(documents, "render_pdf", broken)
    document = queued(personas, lworld)
    assert documents.render_document(document_id=document.pk) is False
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "Bitte fordern Sie es erneut an" in document.error
    assert not document.file


def test_unknown_kind_fails_and_cannot_be_requested(personas, lworld):
    with pytest.raises(ChainError, match="gibt es nicht"):
        documents.request_document(
            municipality=personas.municipality_a, kind="brief", actor=personas.viewer_a
        )
    document = ChainDocument.objects.create(
        municipality=personas.municipality_a,
        kind="brief",
        leitbild=lworld.leitbild,
        requested_by=personas.viewer_a,
    )
    assert documents.render_document(document_id=document.pk) is False
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error


def test_request_refusals(personas, lworld):
    draft = LeitbildFactory(municipality=personas.municipality_a, number=2)
    foreign = LeitbildFactory(municipality=personas.municipality_b, adopted=True, number=1)
    cases = [
        (personas.viewer_a, draft, "nur von beschlossenen"),
        (personas.viewer_a, foreign, "dieser Kommune"),
        (personas.viewer_a, None, "dieser Kommune"),
        (personas.coordinator_b, lworld.leitbild, "keine Dokumente"),
        (personas.researcher, lworld.leitbild, "keine Dokumente"),
    ]
    for actor, leitbild, message in cases:
        with pytest.raises(ChainError, match=message):
            documents.request_document(
                municipality=personas.municipality_a,
                kind=DocumentKind.LEITBILD,
                actor=actor,
                leitbild=leitbild,
            )
    assert not ChainDocument.objects.exists()
