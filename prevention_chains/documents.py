"""PDF documents of a municipality's Leitbild and prevention chain, rendered by the worker.

Each kind names its template and the function building its context in BUILDERS, as a dotted
path imported only when a document is rendered: the content modules (leitbild_pdf, chain_pdf)
depend on the apps' selectors, this module only checks requests, queues and builds.

Rendering is idempotent: accounts.documents claims, renders and records failures for every
document of the portal.

Disclosure: a PDF is forwarded (to a committee, the press), so its monitoring values follow the
rule for readers without raw rights, whoever asked for it. Values are read with the
requester's rights otherwise (the state office only for the years the municipality released),
so members of the municipality see all of its documents, and the state office only those that
the state office requested.
"""

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.documents import Progress, recent_pending, render_queued
from accounts.pdf import render_pdf
from prevention_chains.errors import ChainError
from prevention_chains.models import ChainDocument, DocumentKind, LeitbildStatus
from prevention_chains.permissions import can_read_chain, is_member

# kind → (template, dotted path of build_context(document, progress) -> dict)
BUILDERS = {
    DocumentKind.LEITBILD: (
        "prevention_chains/pdf/leitbild.html",
        "prevention_chains.leitbild_pdf.build_context",
    ),
    DocumentKind.CHAIN: (
        "prevention_chains/pdf/chain.html",
        "prevention_chains.chain_pdf.build_context",
    ),
}

FILE_NAMES = {DocumentKind.LEITBILD: "leitbild", DocumentKind.CHAIN: "praeventionskette"}


def visible_documents(user, municipality):
    """The municipality's documents the user may see, newest first (see the module doc)."""
    if not can_read_chain(user, municipality.pk):
        return ChainDocument.objects.none()
    documents = ChainDocument.objects.filter(municipality=municipality)
    if not is_member(user, municipality.pk):
        documents = documents.filter(requested_by=user)
    return documents.order_by("-requested_at", "-pk")


def _enqueue(document: ChainDocument) -> None:
    from prevention_chains.tasks_documents import render_document_task

    transaction.on_commit(lambda: render_document_task.delay(document.pk))


@transaction.atomic
def request_document(*, municipality, kind: str, actor, leitbild=None) -> ChainDocument:
    """Queue a document; the worker renders it once the request is committed."""
    if not can_read_chain(actor, municipality.pk):
        raise ChainError(_("Sie dürfen für diese Kommune keine Dokumente anfordern."))
    if kind not in BUILDERS:
        raise ChainError(_("Diese Art von Dokument gibt es nicht. Bitte wählen Sie eine andere."))
    if kind == DocumentKind.LEITBILD:
        if leitbild is None or leitbild.municipality_id != municipality.pk:
            raise ChainError(_("Bitte wählen Sie eine Fassung des Leitbilds dieser Kommune."))
        if leitbild.status == LeitbildStatus.DRAFT:
            raise ChainError(
                _(
                    "Ein PDF gibt es nur von beschlossenen Fassungen. Erfassen Sie zuerst den "
                    "Ratsbeschluss."
                )
            )
    else:
        leitbild = None
    pending = recent_pending(
        ChainDocument.objects.filter(
            municipality=municipality, kind=kind, leitbild=leitbild, requested_by=actor
        )
    )
    if pending is not None:
        return pending
    document = ChainDocument.objects.create(
        municipality=municipality, kind=kind, leitbild=leitbild, requested_by=actor
    )
    _enqueue(document)
    return document


def download_name(document: ChainDocument) -> str:
    """leitbild-fassung-2-musterstadt.pdf, praeventionskette-musterstadt.pdf"""
    stem = FILE_NAMES.get(document.kind, "dokument")
    if document.leitbild is not None:
        stem = f"{stem}-fassung-{document.leitbild.number}"
    return f"{stem}-{document.municipality.slug}.pdf"


def _file_name(document: ChainDocument) -> str:
    return download_name(document).replace(".pdf", f"-{document.pk}.pdf")


def render_document(*, document_id: int) -> bool:
    """Render a queued document into its PDF file. False if there was nothing to do (running
    twice renders once) or if rendering failed – the document then says so."""
    return render_queued(
        ChainDocument.objects.select_related(
            "municipality", "leitbild__municipality", "requested_by"
        ),
        document_id,
        build_pdf=_build_pdf,
        file_name=_file_name,
    )


def _build_pdf(document: ChainDocument, progress: Progress) -> bytes:
    template, builder = BUILDERS[document.kind]
    context = import_string(builder)(document, progress)
    progress(80)
    pdf = render_pdf(template, context)
    progress(95)
    return pdf
