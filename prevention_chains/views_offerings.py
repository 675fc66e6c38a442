"""Pages of a municipality's offerings: the filtered list with export, detail, create, edit,
delete and „Angaben sind aktuell“. Readers are the chain's readers, writers its writers
(prevention_chains.permissions); services_offerings does every write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevention_chains import services_offerings as services
from prevention_chains.errors import ChainError
from prevention_chains.forms_offerings import (
    DeleteForm,
    LocationFormSet,
    OfferingFilterForm,
    OfferingForm,
)
from prevention_chains.models import GoodPracticeStatus, Offering
from prevention_chains.offering_imports.files import csv_response, offering_cells, xlsx_response
from prevention_chains.permissions import (
    access_chain,
    access_offering,
    can_read_chain,
    can_write_chain,
)
from prevention_chains.selectors_offerings import (
    chain_offerings,
    full_offering_prefetches,
    with_stale_flag,
)
from prevention_chains.services_good_practice import proposal_refusal

PAGE_SIZE = 25
LOCATIONS_PREFIX = "orte"


def _filtered(request, municipality):
    form = OfferingFilterForm(request.GET or None, municipality=municipality)
    form.is_valid()
    return form, chain_offerings(municipality, form.filters())


@login_required
@require_GET
def offering_list(request, slug):
    municipality = access_chain(request.user, slug)
    form, offerings = _filtered(request, municipality)
    page = Paginator(offerings, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "prevention_chains/offerings/list.html",
        {
            "municipality": municipality,
            "form": form,
            "page": page,
            "filtered": any(value for key, value in request.GET.items() if key != "seite"),
            "can_write": can_write_chain(request.user, municipality.pk),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def offering_export(request, slug, fmt):
    """The filtered list (all pages) in the import's column layout."""
    municipality = access_chain(request.user, slug)
    _form, offerings = _filtered(request, municipality)
    offerings = offerings.select_related("import_key").prefetch_related(*full_offering_prefetches())
    rows = (offering_cells(offering) for offering in offerings.iterator(chunk_size=500))
    filename = f"angebote-{municipality.slug}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, filename)
    if fmt == "xlsx":
        return xlsx_response(rows, filename)
    raise Http404


@login_required
@require_GET
def offering_detail(request, pk):
    access_offering(request.user, pk)
    offering = (
        with_stale_flag(Offering.objects.filter(pk=pk))
        .select_related("municipality", "provider", "confirmed_by", "import_key", "adopted_from")
        .prefetch_related(*full_offering_prefetches())
        .get()
    )
    can_write = can_write_chain(request.user, offering.municipality_id)
    origin = offering.adopted_from
    return render(
        request,
        "prevention_chains/offerings/detail.html",
        {
            "municipality": offering.municipality,
            "offering": offering,
            "languages": [services.LANGUAGES.get(code, code) for code in offering.languages],
            "can_write": can_write,
            # A reader of this chain sees every entry of its municipality (selectors_good_practice).
            "good_practice_entries": offering.good_practice_entries.order_by("-proposed_at", "-pk"),
            "may_propose": can_write and proposal_refusal(offering) is None,
            # The origin's page exists for this user only while published or for its own members.
            "origin_visible": origin is not None
            and (
                origin.status == GoodPracticeStatus.PUBLISHED
                or can_read_chain(request.user, origin.municipality_id)
            ),
        },
    )


def _add_refusal(form, error: ChainError) -> None:
    """The service's reasons on the fields they name; the rest (places, a stale edit) above."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, reasons in error.message_dict.items():
        form.add_error(name if name in form.fields else None, reasons)


def _locations_initial(offering: Offering) -> list[dict]:
    return list(offering.locations.values("name", "street", "postcode", "city"))


def _edit_page(request, municipality, offering: Offering | None):
    """The form for a new offering (offering None) or an existing one; a refused save keeps
    what the user typed and shows why."""
    posted = request.method == "POST"
    if posted:
        form = OfferingForm(request.POST, municipality=municipality, offering=offering)
        formset = LocationFormSet(request.POST, prefix=LOCATIONS_PREFIX)
    elif offering is None:
        form = OfferingForm(municipality=municipality, initial={"status": "draft", "is_free": True})
        formset = LocationFormSet(prefix=LOCATIONS_PREFIX)
    else:
        form = OfferingForm(
            municipality=municipality, offering=offering, initial=OfferingForm.initial_for(offering)
        )
        formset = LocationFormSet(initial=_locations_initial(offering), prefix=LOCATIONS_PREFIX)
    if posted and "ort_hinzufuegen" in request.POST:
        data = request.POST.copy()
        data[f"{LOCATIONS_PREFIX}-TOTAL_FORMS"] = str(formset.total_form_count() + 1)
        formset = LocationFormSet(data, prefix=LOCATIONS_PREFIX)
        form.is_valid()
    elif posted and form.is_valid() and formset.is_valid():
        data = form.to_input(formset.locations())
        try:
            if offering is None:
                saved = services.create_offering(
                    actor=request.user, municipality=municipality, data=data
                )
            else:
                saved = services.update_offering(
                    actor=request.user,
                    offering=offering,
                    data=data,
                    expected_version=form.cleaned_data["version"] or 0,
                )
        except ChainError as error:
            _add_refusal(form, error)
        else:
            messages.success(
                request, _("Das Angebot „%(title)s“ ist gespeichert.") % {"title": saved.title}
            )
            return redirect("prevention_chains:offering_detail", pk=saved.pk)
    return render(
        request,
        "prevention_chains/offerings/form.html",
        {"municipality": municipality, "offering": offering, "form": form, "formset": formset},
        status=400 if posted and (form.errors or formset.total_error_count()) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_create(request, slug):
    municipality = access_chain(request.user, slug, write=True)
    return _edit_page(request, municipality, None)


@login_required
@require_http_methods(["GET", "POST"])
def offering_edit(request, pk):
    offering = access_offering(request.user, pk, write=True)
    return _edit_page(request, offering.municipality, offering)


@login_required
@require_http_methods(["GET", "POST"])
def offering_delete(request, pk):
    offering = access_offering(request.user, pk, write=True)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_offering(actor=request.user, offering=offering)
        except ChainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("prevention_chains:offering_detail", pk=offering.pk)
        messages.success(
            request, _("Das Angebot „%(title)s“ wurde gelöscht.") % {"title": offering.title}
        )
        return redirect("prevention_chains:offering_list", slug=offering.municipality.slug)
    return render(
        request,
        "prevention_chains/offerings/delete.html",
        {"municipality": offering.municipality, "offering": offering, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def offering_confirm(request, pk):
    offering = access_offering(request.user, pk, write=True)
    services.confirm_offering(actor=request.user, offering=offering)
    messages.success(
        request,
        _("Danke – die Angaben zu „%(title)s“ sind als aktuell bestätigt.")
        % {"title": offering.title},
    )
    return redirect("prevention_chains:offering_detail", pk=offering.pk)
