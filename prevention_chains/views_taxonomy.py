"""Pages of the taxonomy maintenance (issue 5 §2): the state office reads the four lists, the
programme administration changes them through prevention_chains.services_taxonomy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevention_chains import services_taxonomy as services
from prevention_chains.forms_taxonomy import term_form_class
from prevention_chains.permissions import can_maintain_taxonomies, is_state_office


def show_refusal(form, error: ValidationError) -> None:
    """A service's refusal on the form: at the fields it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _taxonomy(user, kind: str, *, write: bool) -> services.Taxonomy:
    allowed = can_maintain_taxonomies(user) if write else is_state_office(user)
    taxonomy = services.TAXONOMIES.get(kind)
    if taxonomy is None or not allowed:
        raise Http404
    return taxonomy


def _term(taxonomy: services.Taxonomy, pk):
    try:
        return taxonomy.model.objects.get(pk=pk)
    except taxonomy.model.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def taxonomy_overview(request):
    if not is_state_office(request.user):
        raise Http404
    lists = [
        (taxonomy, list(taxonomy.model.objects.order_by("position", "name")))
        for taxonomy in services.TAXONOMIES.values()
    ]
    return render(
        request,
        "prevention_chains/taxonomy/overview.html",
        {"lists": lists, "writable": can_maintain_taxonomies(request.user)},
    )


def _term_form_page(request, taxonomy, term):
    form_class = term_form_class(taxonomy, creating=term is None)
    form = form_class(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            if term is None:
                saved = services.create_term(
                    model=taxonomy.model, actor=request.user, **form.cleaned_data
                )
            else:
                saved = services.update_term(term=term, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": saved.name})
            return redirect("prevention_chains:taxonomy_overview")
    usages = services.term_usages(term) if term else []
    return render(
        request,
        "prevention_chains/taxonomy/term_form.html",
        {"taxonomy": taxonomy, "term": term, "form": form, "usages": usages},
    )


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy_term_create(request, kind):
    return _term_form_page(request, _taxonomy(request.user, kind, write=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy_term_edit(request, kind, pk):
    taxonomy = _taxonomy(request.user, kind, write=True)
    return _term_form_page(request, taxonomy, _term(taxonomy, pk))


@login_required
@require_POST
def taxonomy_term_move(request, kind, pk):
    taxonomy = _taxonomy(request.user, kind, write=True)
    term = _term(taxonomy, pk)
    services.move_term(term=term, actor=request.user, up=request.POST.get("richtung") == "hoch")
    return redirect(f"{reverse('prevention_chains:taxonomy_overview')}#{taxonomy.kind}")


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy_term_delete(request, kind, pk):
    taxonomy = _taxonomy(request.user, kind, write=True)
    term = _term(taxonomy, pk)
    error = None
    if request.method == "POST":
        try:
            services.delete_term(term=term, actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": term.name})
            return redirect("prevention_chains:taxonomy_overview")
    return render(
        request,
        "prevention_chains/taxonomy/term_delete.html",
        {
            "taxonomy": taxonomy,
            "term": term,
            "usages": services.term_usages(term),
            "error": error,
        },
        status=400 if error else 200,
    )
