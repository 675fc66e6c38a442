"""Pages of the good-practice library (issue 5 §6): the public library and entry, the
adoption into one's own chain, a municipality's proposals and withdrawals, and the state
office's decisions. Thin: fetch through prevention_chains.permissions or the selector, call
prevention_chains.services_good_practice, render; a refusal becomes a message on the page and
the form keeps what the user typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from municipalities.permissions import access_municipality
from prevention_chains import selectors_good_practice as selectors
from prevention_chains import services_good_practice as services
from prevention_chains.errors import ChainError
from prevention_chains.forms_good_practice import (
    AdoptForm,
    ChooseOfferingForm,
    LibraryFilterForm,
    ProposeForm,
    PublishForm,
    RejectForm,
)
from prevention_chains.models import GoodPracticeStatus
from prevention_chains.permissions import (
    access_chain,
    access_good_practice_entry,
    access_offering,
    can_decide_good_practice,
    can_read_chain,
    can_write_chain,
)

LIBRARY_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50


def _page(request, rows, size):
    return Paginator(rows, size).get_page(request.GET.get("seite"))


@require_GET
def library(request):
    terms = selectors.active_terms()
    form = LibraryFilterForm(request.GET or None, terms=terms)
    page = _page(request, selectors.library(form.filters()), LIBRARY_PAGE_SIZE)
    return render(
        request,
        "prevention_chains/good_practice/library.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(request.GET.dict().keys() - {"seite"}),
            "own_municipalities": selectors.member_municipalities(request.user),
            "may_decide": can_decide_good_practice(request.user),
        },
    )


@require_GET
def detail(request, pk):
    entry = selectors.entry_for(request.user, pk)
    adopters = []
    if entry.status == GoodPracticeStatus.PUBLISHED and request.user.is_authenticated:
        adopters = selectors.coordinated_municipalities(
            request.user, excluding=entry.municipality_id
        )
    return render(
        request,
        "prevention_chains/good_practice/detail.html",
        {
            "entry": entry,
            "adopting": selectors.adopting_municipalities(entry),
            "adopt_form": AdoptForm(municipalities=adopters) if adopters else None,
            "is_member": can_read_chain(request.user, entry.municipality_id),
            "may_withdraw": entry.status in services.OPEN_STATUSES
            and can_write_chain(request.user, entry.municipality_id),
            "may_decide": entry.status == GoodPracticeStatus.PROPOSED
            and can_decide_good_practice(request.user),
        },
    )


def _after_adoption_url(offering) -> str:
    """The new draft's edit page; the pages of the offerings part may not all exist (yet), so
    the nearest one that does."""
    for name, args in (
        ("prevention_chains:offering_edit", [offering.pk]),
        ("prevention_chains:offering_detail", [offering.pk]),
        ("prevention_chains:chain", [offering.municipality.slug]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("prevention_chains:good_practice_mine", args=[offering.municipality.slug])


@login_required
@require_http_methods(["GET", "POST"])
def adopt(request, pk):
    """Confirmation (GET, from the entry's form) and adoption (POST)."""
    entry = selectors.entry_for(request.user, pk)
    municipalities = selectors.coordinated_municipalities(
        request.user, excluding=entry.municipality_id
    )
    if not municipalities or entry.status != GoodPracticeStatus.PUBLISHED:
        raise Http404
    if request.method == "POST":
        data = request.POST
    elif len(municipalities) == 1:
        data = {"kommune": municipalities[0].pk}  # nothing to choose: check it right away
    else:
        data = request.GET or None
    form = AdoptForm(data, municipalities=municipalities)
    refusal = None
    if form.is_bound and form.is_valid():
        municipality = access_municipality(request.user, form.cleaned_data["kommune"], write=True)
        refusal = services.adoption_refusal(entry, municipality)
        if request.method == "POST" and refusal is None:
            try:
                offering = services.adopt_good_practice(
                    entry=entry, actor=request.user, municipality=municipality
                )
            except ChainError as error:
                refusal = " ".join(error.messages)
            else:
                messages.success(
                    request,
                    _(
                        "„%(title)s“ ist als Entwurf in Ihrer Präventionskette angelegt. "
                        "Ergänzen Sie Träger, Sozialräume, Orte und Kontakt, dann können Sie "
                        "es veröffentlichen."
                    )
                    % {"title": offering.title},
                )
                return redirect(_after_adoption_url(offering))
    return render(
        request,
        "prevention_chains/good_practice/adopt.html",
        {"entry": entry, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, slug, offering_id):
    municipality = access_chain(request.user, slug, write=True)
    offering = access_offering(request.user, offering_id, write=True)
    if offering.municipality_id != municipality.pk:
        raise Http404
    refusal = services.proposal_refusal(offering)
    if request.method == "POST" and refusal is None:
        form = ProposeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.propose_good_practice(
                    offering=offering,
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    why_it_works=data["why_it_works"],
                    requirements=data["requirements"],
                    life_phases=data["life_phases"],
                    fields_of_action=data["fields_of_action"],
                    target_groups=data["target_groups"],
                )
            except ChainError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Ihr Vorschlag ist bei der Landeskoordinierungsstelle. Sie erfahren "
                        "per E-Mail, wie sie entschieden hat."
                    ),
                )
                return redirect("prevention_chains:good_practice_mine", slug=municipality.slug)
    else:
        form = ProposeForm(initial=ProposeForm.initial_from(offering))
    return render(
        request,
        "prevention_chains/good_practice/propose.html",
        {"municipality": municipality, "offering": offering, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def mine(request, slug):
    municipality = access_chain(request.user, slug)
    may_write = can_write_chain(request.user, municipality.pk)
    offerings = selectors.proposable_offerings(municipality) if may_write else []
    return render(
        request,
        "prevention_chains/good_practice/mine.html",
        {
            "municipality": municipality,
            "entries": selectors.entries_of(municipality),
            "may_write": may_write,
            "open_statuses": services.OPEN_STATUSES,
            "choose_form": ChooseOfferingForm(offerings=offerings) if offerings else None,
        },
    )


@login_required
@require_GET
def propose_choose(request, slug):
    """The offering chosen on the municipality's page; its proposal form."""
    municipality = access_chain(request.user, slug, write=True)
    form = ChooseOfferingForm(request.GET, offerings=selectors.proposable_offerings(municipality))
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie ein Angebot aus der Liste."))
        return redirect("prevention_chains:good_practice_mine", slug=slug)
    return redirect(
        "prevention_chains:good_practice_propose",
        slug=slug,
        offering_id=form.cleaned_data["angebot"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, pk):
    entry = access_good_practice_entry(request.user, pk, write=True)
    if entry.municipality.slug != slug:
        raise Http404
    if request.method == "POST":
        try:
            services.withdraw_good_practice(entry=entry, actor=request.user)
        except ChainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Der Eintrag ist zurückgezogen und nicht mehr in der Bibliothek.")
            )
        return redirect("prevention_chains:good_practice_mine", slug=slug)
    return render(
        request,
        "prevention_chains/good_practice/withdraw.html",
        {"entry": entry, "withdrawable": entry.status in services.OPEN_STATUSES},
    )


def _state_office_only(request):
    if not can_decide_good_practice(request.user):
        raise Http404


@login_required
@require_GET
def review(request):
    _state_office_only(request)
    page = _page(request, selectors.review_queue(), QUEUE_PAGE_SIZE)
    return render(request, "prevention_chains/good_practice/review.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    """One proposed entry with the two decisions: publish, or reject with a reason."""
    _state_office_only(request)
    entry = selectors.entry_for(request.user, pk)
    publish_form, reject_form = PublishForm(), RejectForm()
    if request.method == "POST":
        action = request.POST.get("aktion")
        if action == "publish":
            publish_form = form = PublishForm(request.POST)
        elif action == "reject":
            reject_form = form = RejectForm(request.POST)
        else:
            raise Http404
        if form.is_valid():
            try:
                if action == "publish":
                    services.publish_good_practice(
                        entry=entry, actor=request.user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, _("Der Eintrag ist in der Bibliothek."))
                else:
                    services.reject_good_practice(
                        entry=entry, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("Der Vorschlag ist abgelehnt."))
            except ChainError as error:
                form.add_error(None, error)
            else:
                return redirect("prevention_chains:good_practice_review")
    return render(
        request,
        "prevention_chains/good_practice/decide.html",
        {
            "entry": entry,
            "publish_form": publish_form,
            "reject_form": reject_form,
            "decidable": entry.status == GoodPracticeStatus.PROPOSED,
        },
        status=400 if request.method == "POST" else 200,
    )
