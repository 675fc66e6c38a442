"""Pages of actors, networks, cooperation links and the network view (issue 5 §3).

Thin: prevention_chains.permissions fetches (404 for missing and forbidden alike),
prevention_chains.services_actors writes, prevention_chains.network_metrics computes.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api.renderers import spreadsheet_text
from prevention_chains import network_metrics
from prevention_chains import services_actors as services
from prevention_chains.forms_actors import (
    ActorFilterForm,
    ActorForm,
    CooperationFilterForm,
    CooperationForm,
    MemberForm,
    NetworkForm,
)
from prevention_chains.models import (
    Actor,
    CooperationKind,
    CooperationLink,
    LifePhase,
    Network,
    NetworkMembership,
)
from prevention_chains.permissions import (
    access_actor,
    access_chain,
    access_cooperation_link,
    access_network,
    can_write_chain,
)
from prevention_chains.views_taxonomy import show_refusal

PER_PAGE = 50
ORDERED_PHASES = Prefetch("life_phases", queryset=LifePhase.objects.order_by("position", "name"))


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("seite"))


def _context(user, municipality, **extra) -> dict:
    return {
        "municipality": municipality,
        "writable": can_write_chain(user, municipality.pk),
        **extra,
    }


def _frame(municipality, heading, section, section_url, cancel_url, intro="") -> dict:
    """What the one form page of this part shows around its form."""
    return {
        "municipality": municipality,
        "heading": heading,
        "section": section,
        "section_url": section_url,
        "cancel_url": cancel_url,
        "intro": intro,
    }


def _form_page(request, form, save, context: dict, success: str):
    """Show a form; on a valid POST call `save(**cleaned_data)`, whose refusal lands on the
    form, and go to the saved object's page."""
    template = "prevention_chains/actors/object_form.html"
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, success % {"name": saved})
            return redirect(saved_url(saved))
    return render(request, template, {**context, "form": form})


def saved_url(saved) -> str:
    if isinstance(saved, Actor):
        return reverse("prevention_chains:actor_detail", args=[saved.pk])
    if isinstance(saved, Network):
        return reverse("prevention_chains:network_detail", args=[saved.pk])
    return reverse("prevention_chains:cooperation_list", args=[saved.municipality.slug])


def _confirm_delete(request, *, municipality, subject, delete, done_url, cancel_url, note=""):
    """The confirmation step of a deletion, and the deletion; a refusal is shown on it."""
    error = None
    if request.method == "POST":
        try:
            delete(actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": subject})
            return redirect(done_url)
    return render(
        request,
        "prevention_chains/actors/confirm_delete.html",
        {
            "municipality": municipality,
            "subject": subject,
            "note": note,
            "error": error,
            "cancel_url": cancel_url,
        },
        status=400 if error else 200,
    )


@dataclass(frozen=True)
class _Editable:
    """What the create, edit and delete pages of actors and of networks differ in."""

    form: type
    section: str  # the list's name in the breadcrumb
    list_url: str  # URL name, takes the municipality's slug
    detail_url: str  # URL name, takes the object's pk
    create_heading: str
    created: str  # messages, with %(name)s
    saved: str
    delete_note: str
    access: Callable  # (user, pk, write=True) -> object, 404 for missing and forbidden alike
    create: Callable  # (municipality=, actor=, **cleaned_data) -> object
    update: Callable  # (object, actor=, **cleaned_data) -> object
    delete: Callable  # (object, actor=)


ACTORS = _Editable(
    form=ActorForm,
    section=gettext_lazy("Akteure"),
    list_url="prevention_chains:actor_list",
    detail_url="prevention_chains:actor_detail",
    create_heading=gettext_lazy("Akteur anlegen"),
    created=gettext_lazy("Der Akteur „%(name)s“ ist angelegt."),
    saved=gettext_lazy("Der Akteur „%(name)s“ ist gespeichert."),
    delete_note=gettext_lazy(
        "Mit dem Akteur werden seine Mitgliedschaften in Netzwerken und seine "
        "Kooperationen gelöscht. Träger von Angeboten können nicht gelöscht werden."
    ),
    access=access_actor,
    create=services.create_actor,
    update=lambda organisation, **kw: services.update_actor(organisation=organisation, **kw),
    delete=lambda organisation, **kw: services.delete_actor(organisation=organisation, **kw),
)
NETWORKS = _Editable(
    form=NetworkForm,
    section=gettext_lazy("Netzwerke und Gremien"),
    list_url="prevention_chains:network_list",
    detail_url="prevention_chains:network_detail",
    create_heading=gettext_lazy("Netzwerk oder Gremium anlegen"),
    created=gettext_lazy("„%(name)s“ ist angelegt."),
    saved=gettext_lazy("„%(name)s“ ist gespeichert."),
    delete_note=gettext_lazy(
        "Die Mitgliedschaften gehen mit; die Akteure selbst bleiben erhalten."
    ),
    access=access_network,
    create=services.create_network,
    update=lambda network, **kw: services.update_network(network=network, **kw),
    delete=lambda network, **kw: services.delete_network(network=network, **kw),
)


def _create_page(request, slug, kind: _Editable):
    municipality = access_chain(request.user, slug, write=True)
    list_url = reverse(kind.list_url, args=[municipality.slug])
    return _form_page(
        request,
        kind.form(request.POST or None),
        lambda **data: kind.create(municipality=municipality, actor=request.user, **data),
        _frame(municipality, kind.create_heading, kind.section, list_url, list_url),
        kind.created,
    )


def _edit_page(request, pk, kind: _Editable):
    subject = kind.access(request.user, pk, write=True)
    return _form_page(
        request,
        kind.form(request.POST or None, instance=subject),
        lambda **data: kind.update(subject, actor=request.user, **data),
        _frame(
            subject.municipality,
            _("%(name)s bearbeiten") % {"name": subject.name},
            kind.section,
            reverse(kind.list_url, args=[subject.municipality.slug]),
            reverse(kind.detail_url, args=[subject.pk]),
        ),
        kind.saved,
    )


def _delete_page(request, pk, kind: _Editable):
    subject = kind.access(request.user, pk, write=True)
    return _confirm_delete(
        request,
        municipality=subject.municipality,
        subject=subject,
        delete=lambda **kw: kind.delete(subject, **kw),
        done_url=reverse(kind.list_url, args=[subject.municipality.slug]),
        cancel_url=reverse(kind.detail_url, args=[subject.pk]),
        note=kind.delete_note,
    )


# --- Akteure --------------------------------------------------------------------------------


CSV_COLUMNS = (
    ("name", gettext_lazy("Name")),
    ("type", gettext_lazy("Art")),
    ("phases", gettext_lazy("Lebensphasen")),
    ("contact_person", gettext_lazy("Ansprechperson")),
    ("email", gettext_lazy("E-Mail")),
    ("phone", gettext_lazy("Telefon")),
    ("website", gettext_lazy("Webseite")),
    ("street", gettext_lazy("Straße und Hausnummer")),
    ("postcode", gettext_lazy("PLZ")),
    ("city", gettext_lazy("Ort")),
    ("description", gettext_lazy("Beschreibung")),
)


def _actor_csv(municipality, actors) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="akteure-{municipality.slug}.csv"'
    # The byte order mark and semicolons are what German spreadsheet programs expect.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(title) for _key, title in CSV_COLUMNS])
    for organisation in actors:
        row = {
            "type": organisation.actor_type.name,
            "phases": ", ".join(phase.name for phase in organisation.life_phases.all()),
        }
        writer.writerow(
            [
                spreadsheet_text(row[key] if key in row else getattr(organisation, key))
                for key, _t in CSV_COLUMNS
            ]
        )
    return response


@login_required
@require_GET
def actor_list(request, slug):
    municipality = access_chain(request.user, slug)
    filters = ActorFilterForm(request.GET or None)
    actors = filters.filter(
        Actor.objects.filter(municipality=municipality)
        .select_related("actor_type")
        .prefetch_related(ORDERED_PHASES)
        .order_by("name", "pk")
    )
    if request.GET.get("format") == "csv":
        return _actor_csv(municipality, actors)
    return render(
        request,
        "prevention_chains/actors/actor_list.html",
        _context(
            request.user,
            municipality,
            page=_page(request, actors),
            filters=filters,
            total=Actor.objects.filter(municipality=municipality).exists(),
        ),
    )


@login_required
@require_GET
def actor_detail(request, pk):
    organisation = access_actor(request.user, pk)
    links = (
        CooperationLink.objects.filter(Q(actor_a=organisation) | Q(actor_b=organisation))
        .select_related("actor_a", "actor_b")
        .order_by("kind", "pk")
    )
    partners = [
        (link, link.actor_b if link.actor_a_id == organisation.pk else link.actor_a)
        for link in links
    ]
    return render(
        request,
        "prevention_chains/actors/actor_detail.html",
        _context(
            request.user,
            organisation.municipality,
            organisation=organisation,
            phases=list(organisation.life_phases.order_by("position", "name")),
            memberships=list(
                organisation.network_memberships.select_related("network").order_by("network__name")
            ),
            partners=partners,
            offerings=list(organisation.offerings.order_by("title")),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request, slug):
    return _create_page(request, slug, ACTORS)


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    return _edit_page(request, pk, ACTORS)


@login_required
@require_http_methods(["GET", "POST"])
def actor_delete(request, pk):
    return _delete_page(request, pk, ACTORS)


# --- Netzwerke und Gremien ------------------------------------------------------------------


@login_required
@require_GET
def network_list(request, slug):
    municipality = access_chain(request.user, slug)
    networks = (
        Network.objects.filter(municipality=municipality)
        .annotate(member_count=Count("memberships"))
        .prefetch_related(ORDERED_PHASES)
        .order_by("name", "pk")
    )
    return render(
        request,
        "prevention_chains/actors/network_list.html",
        _context(request.user, municipality, page=_page(request, networks)),
    )


def _network_detail(request, network, member_form, status=200):
    memberships = network.memberships.select_related("actor__actor_type").order_by("actor__name")
    return render(
        request,
        "prevention_chains/actors/network_detail.html",
        _context(
            request.user,
            network.municipality,
            network=network,
            phases=list(network.life_phases.order_by("position", "name")),
            memberships=list(memberships),
            member_form=member_form,
        ),
        status=status,
    )


@login_required
@require_GET
def network_detail(request, pk):
    network = access_network(request.user, pk)
    writable = can_write_chain(request.user, network.municipality_id)
    return _network_detail(request, network, MemberForm(network=network) if writable else None)


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request, slug):
    return _create_page(request, slug, NETWORKS)


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request, pk):
    return _edit_page(request, pk, NETWORKS)


@login_required
@require_http_methods(["GET", "POST"])
def network_delete(request, pk):
    return _delete_page(request, pk, NETWORKS)


@login_required
@require_POST
def network_member_add(request, pk):
    network = access_network(request.user, pk, write=True)
    form = MemberForm(request.POST, network=network)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.add_member(
                network=network,
                organisation=data["actor"],
                actor=request.user,
                role=data["role"],
                since=data["since"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("„%(actor)s“ ist jetzt Mitglied.") % {"actor": membership.actor.name},
            )
            return redirect("prevention_chains:network_detail", pk=network.pk)
    return _network_detail(request, network, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def network_member_remove(request, pk, membership_pk):
    network = access_network(request.user, pk, write=True)
    try:
        membership = network.memberships.select_related("actor").get(pk=membership_pk)
    except (NetworkMembership.DoesNotExist, ValueError):
        raise Http404 from None
    detail_url = reverse("prevention_chains:network_detail", args=[network.pk])
    return _confirm_delete(
        request,
        municipality=network.municipality,
        subject=_("Mitgliedschaft von %(actor)s in %(network)s")
        % {"actor": membership.actor.name, "network": network.name},
        delete=lambda **kw: services.remove_member(membership=membership, **kw),
        done_url=detail_url,
        cancel_url=detail_url,
        note=_("Der Akteur bleibt erhalten; er ist nur nicht mehr Mitglied."),
    )


# --- Kooperationen --------------------------------------------------------------------------


@login_required
@require_GET
def cooperation_list(request, slug):
    municipality = access_chain(request.user, slug)
    filters = CooperationFilterForm(request.GET or None)
    links = CooperationLink.objects.filter(municipality=municipality).select_related(
        "actor_a", "actor_b"
    )
    if filters.is_valid() and filters.cleaned_data["art"]:
        links = links.filter(kind=filters.cleaned_data["art"])
    return render(
        request,
        "prevention_chains/actors/cooperation_list.html",
        _context(
            request.user,
            municipality,
            page=_page(request, links.order_by("actor_a__name", "actor_b__name", "kind", "pk")),
            filters=filters,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_create(request, slug):
    municipality = access_chain(request.user, slug, write=True)
    initial = {}
    if request.GET.get("akteur", "").isdigit():
        initial["first"] = request.GET["akteur"]
    form = CooperationForm(request.POST or None, municipality=municipality, initial=initial)
    return _form_page(
        request,
        form,
        lambda **data: services.create_link(actor=request.user, **data),
        _frame(
            municipality,
            _("Kooperation erfassen"),
            _("Kooperationen"),
            reverse("prevention_chains:cooperation_list", args=[municipality.slug]),
            reverse("prevention_chains:cooperation_list", args=[municipality.slug]),
            _(
                "Eine Kooperation gilt in beide Richtungen; die Reihenfolge der beiden Akteure "
                "spielt keine Rolle."
            ),
        ),
        _("Die Kooperation „%(name)s“ ist erfasst."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_delete(request, pk):
    link = access_cooperation_link(request.user, pk, write=True)
    list_url = reverse("prevention_chains:cooperation_list", args=[link.municipality.slug])
    return _confirm_delete(
        request,
        municipality=link.municipality,
        subject=CooperationLink.objects.select_related("actor_a", "actor_b").get(pk=link.pk),
        delete=lambda **kw: services.delete_link(link=link, **kw),
        done_url=list_url,
        cancel_url=list_url,
    )


# --- Netzwerkansicht ------------------------------------------------------------------------

GRAPH_SIZE = 640
GRAPH_RADIUS = 250
# Colour-blind-safe fills (Okabe–Ito) with a readable number colour; meaning never rests on
# colour alone: the legend names each type and every node carries its number from the table.
TYPE_COLOURS = (
    ("#0072B2", "#ffffff"),
    ("#E69F00", "#000000"),
    ("#009E73", "#ffffff"),
    ("#CC79A7", "#000000"),
    ("#56B4E9", "#000000"),
    ("#D55E00", "#ffffff"),
    ("#F0E442", "#000000"),
    ("#000000", "#ffffff"),
    ("#999999", "#000000"),
)
# Kinds of link differ in line pattern (named in the legend), not in colour.
LINK_STYLES = {
    CooperationKind.AGREEMENT: {"dash": "", "width": 3, "pattern": gettext_lazy("durchgezogen")},
    CooperationKind.EXCHANGE: {"dash": "8 4", "width": 2, "pattern": gettext_lazy("gestrichelt")},
    CooperationKind.CASE_CONSULTATION: {
        "dash": "2 4",
        "width": 2,
        "pattern": gettext_lazy("gepunktet"),
    },
}


def _graph(data: network_metrics.NetworkData, degrees: dict[int, int]) -> dict:
    placed = network_metrics.circle_layout(data, centre=GRAPH_SIZE // 2, radius=GRAPH_RADIUS)
    type_names = sorted({node.type_name for node in data.nodes}, key=str.casefold)
    colours = {
        name: TYPE_COLOURS[index % len(TYPE_COLOURS)] for index, name in enumerate(type_names)
    }
    positions = {spot.node.id: spot for spot in placed}
    nodes = [
        {
            "number": index,
            "spot": spot,
            "fill": colours[spot.node.type_name][0],
            "ink": colours[spot.node.type_name][1],
            "degree": degrees.get(spot.node.id, 0),
        }
        for index, spot in enumerate(placed, 1)
    ]
    kinds = dict(CooperationKind.choices)
    edges = [
        {
            "link": link,
            "a": positions[link.a],
            "b": positions[link.b],
            "label": kinds.get(link.kind, link.kind),
            **LINK_STYLES[link.kind],
        }
        for link in data.links
        if link.a in positions and link.b in positions
    ]
    return {
        "size": GRAPH_SIZE,
        "nodes": nodes,
        "edges": edges,
        "type_legend": [(name, colours[name][0]) for name in type_names],
        "kind_legend": [(label, LINK_STYLES[kind]) for kind, label in CooperationKind.choices],
    }


@login_required
@require_GET
def network_graph(request, slug):
    municipality = access_chain(request.user, slug)
    data = network_metrics.load_network(municipality)
    metrics = network_metrics.compute_metrics(data)
    kinds = dict(CooperationKind.choices)
    return render(
        request,
        "prevention_chains/actors/network_graph.html",
        _context(
            request.user,
            municipality,
            metrics=metrics,
            graph=_graph(data, metrics.degrees),
            links_by_kind=[(kinds[k], n) for k, n in metrics.links_by_kind.items()],
            density_percent=metrics.density * 100,
        ),
    )
