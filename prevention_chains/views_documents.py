"""PDF document pages of a municipality's Leitbild and chain: request one, watch it being
rendered (htmx polls the status while the worker runs), download it.

Thin: prevention_chains.documents decides who sees which document and queues the rendering."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import DocumentStatus
from prevention_chains import documents, permissions
from prevention_chains.errors import ChainError
from prevention_chains.models import DocumentKind, Leitbild
from prevention_chains.permissions import access_chain

DOCUMENTS_PER_PAGE = 20


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Art"),
        choices=DocumentKind.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Diese Art von Dokument gibt es nicht."),
            "required": gettext_lazy("Bitte wählen Sie die Art des Dokuments."),
        },
    )
    leitbild = forms.ModelChoiceField(queryset=Leitbild.objects.none(), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leitbild"].queryset = Leitbild.objects.filter(municipality=municipality)


@login_required
@require_POST
def document_request(request, slug):
    municipality = access_chain(request.user, slug)
    form = DocumentRequestForm(request.POST, municipality=municipality)
    if not form.is_valid():
        messages.error(request, _("Das Dokument konnte nicht angefordert werden."))
        return redirect("prevention_chains:document_list", slug=municipality.slug)
    try:
        document = documents.request_document(
            municipality=municipality, actor=request.user, **form.cleaned_data
        )
    except ChainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("prevention_chains:document_list", slug=municipality.slug)
    messages.success(
        request,
        _(
            "Das PDF wird erstellt. Sie können diese Seite verlassen; es steht danach in der "
            "Liste der Dokumente bereit."
        ),
    )
    return redirect("prevention_chains:document_detail", pk=document.pk)


@login_required
@require_GET
def document_list(request, slug):
    municipality = access_chain(request.user, slug)
    found = documents.visible_documents(request.user, municipality).select_related(
        "requested_by", "leitbild"
    )
    page = Paginator(found, DOCUMENTS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "prevention_chains/documents/document_list.html",
        {"municipality": municipality, "page": page},
    )


@login_required
@require_GET
def document_detail(request, pk):
    """The document's status; htmx asks for the status block alone while it is rendered."""
    document = permissions.access_document(request.user, pk)
    template = (
        "prevention_chains/documents/_status.html"
        if request.htmx
        else "prevention_chains/documents/document_detail.html"
    )
    return render(request, template, {"municipality": document.municipality, "document": document})


@login_required
@require_GET
def document_download(request, pk):
    document = permissions.access_document(request.user, pk)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=documents.download_name(document),
        content_type="application/pdf",
    )
    # A document holds internal data: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
