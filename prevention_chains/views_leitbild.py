"""Leitbild pages (issue 5 §1): the versions of a municipality's Leitbild, the draft with its
goals, sub-goals and goal indicators, adopting it, a new version from an adopted one, and the
traffic light of every goal indicator.

Thin: prevention_chains.permissions fetches (404 for missing and forbidden alike; readers are
the municipality's members and the state office, writers its coordinators and the programme
administration), services_leitbild decides, a ChainError becomes a message on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from prevention_chains import permissions
from prevention_chains import selectors_leitbild as selectors
from prevention_chains import services_leitbild as services
from prevention_chains.errors import ChainError
from prevention_chains.forms_leitbild import (
    AdoptForm,
    GoalForm,
    GoalIndicatorForm,
    LeitbildCreateForm,
    LeitbildEditForm,
)
from prevention_chains.models import DocumentKind, LeitbildStatus
from prevention_chains.permissions import access_chain, access_leitbild, can_write_chain


def _detail_url(leitbild_id: int) -> str:
    return reverse("prevention_chains:leitbild_detail", args=[leitbild_id])


def _form_view(request, form, save, *, success: str, done_url: str | None = None, **page):
    """The Leitbild form page (see _form_page for `page`). For a valid POST run
    `save(cleaned_data)` – a service call – and go to `done_url`, or without one to the URL
    that `save` returns; a refusal lands on the form, which is shown again."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ChainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(done_url or target)
    return _form_page(request, form=form, **page)


def _confirmed_delete(request, *, leitbild, delete, success: str, title: str, text: str):
    """Ask first (GET), then delete (POST) and go back to the Leitbild."""
    if request.method != "POST":
        return _confirm_page(request, leitbild=leitbild, title=title, text=text, submit=title)
    try:
        delete()
    except ChainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_detail_url(leitbild.pk))


def _form_page(request, *, form, title, leitbild=None, municipality=None, intro="", submit=None):
    """The one page layout of every Leitbild form (Leitbild, goal, goal indicator); 400 when
    the form was not accepted."""
    return render(
        request,
        "prevention_chains/leitbild/form.html",
        {
            "municipality": municipality or leitbild.municipality,
            "leitbild": leitbild,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit or _("Speichern"),
        },
        status=400 if form.errors else 200,
    )


def _confirm_page(request, *, leitbild, title, text, submit):
    return render(
        request,
        "prevention_chains/leitbild/confirm.html",
        {
            "municipality": leitbild.municipality,
            "leitbild": leitbild,
            "title": title,
            "text": text,
            "submit": submit,
        },
    )


@login_required
@require_GET
def leitbild_overview(request, slug):
    municipality = access_chain(request.user, slug)
    overview = selectors.leitbild_overview(municipality)
    goals = []
    if overview.adopted is not None:
        goals = selectors.goal_tree(overview.adopted, user=request.user)
    return render(
        request,
        "prevention_chains/leitbild/overview.html",
        {
            "municipality": municipality,
            "overview": overview,
            "goals": goals,
            "may_write": can_write_chain(request.user, municipality.pk),
        },
    )


@login_required
@require_GET
def leitbild_detail(request, pk):
    leitbild = access_leitbild(request.user, pk)
    may_write = can_write_chain(request.user, leitbild.municipality_id)
    is_draft = leitbild.status == LeitbildStatus.DRAFT
    return render(
        request,
        "prevention_chains/leitbild/detail.html",
        {
            "municipality": leitbild.municipality,
            "leitbild": leitbild,
            "goals": selectors.goal_tree(leitbild, user=request.user),
            "may_write": may_write,
            "is_draft": is_draft,
            "editable": is_draft and may_write,
            "document_kind": DocumentKind.LEITBILD,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leitbild_create(request, slug):
    municipality = access_chain(request.user, slug, write=True)
    return _form_view(
        request,
        LeitbildCreateForm(request.POST or None),
        lambda data: _detail_url(
            services.create_leitbild(municipality=municipality, actor=request.user, **data).pk
        ),
        success=_("Der Entwurf wurde angelegt. Legen Sie nun die Ziele an."),
        municipality=municipality,
        title=_("Leitbild anlegen"),
        intro=_(
            "Das Leitbild beginnt als Entwurf. Sie können es bearbeiten, bis der Rat es "
            "beschlossen hat."
        ),
        submit=_("Entwurf anlegen"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def leitbild_edit(request, pk):
    leitbild = access_leitbild(request.user, pk, write=True)
    if leitbild.status != LeitbildStatus.DRAFT:
        messages.error(request, _("Nur der Entwurf kann bearbeitet werden."))
        return redirect(_detail_url(leitbild.pk))
    return _form_view(
        request,
        LeitbildEditForm(request.POST or None, leitbild=leitbild),
        lambda data: services.update_leitbild(
            leitbild=leitbild,
            actor=request.user,
            expected_version=data["version"],
            title=data["title"],
            text=data["text"],
        ),
        success=_("Das Leitbild wurde gespeichert."),
        done_url=_detail_url(leitbild.pk),
        leitbild=leitbild,
        title=_("Leitbild bearbeiten"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def leitbild_adopt(request, pk):
    leitbild = access_leitbild(request.user, pk, write=True)
    return _form_view(
        request,
        AdoptForm(request.POST or None),
        lambda data: services.adopt_leitbild(
            leitbild=leitbild,
            actor=request.user,
            council_decision_on=data["council_decision_on"],
            council_decision_ref=data["council_decision_ref"],
        ),
        success=_("Fassung %(number)s ist als beschlossen erfasst.") % {"number": leitbild.number},
        done_url=reverse("prevention_chains:leitbild_overview", args=[leitbild.municipality.slug]),
        leitbild=leitbild,
        title=_("Beschluss erfassen"),
        intro=_(
            "Erfassen Sie den Ratsbeschluss zu Fassung %(number)s. Danach kann diese Fassung "
            "nicht mehr geändert werden; Änderungen beginnen mit einer neuen Fassung."
        )
        % {"number": leitbild.number},
        submit=_("Als beschlossen erfassen"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def leitbild_new_version(request, pk):
    leitbild = access_leitbild(request.user, pk, write=True)
    if request.method != "POST":
        return _confirm_page(
            request,
            leitbild=leitbild,
            title=_("Neue Fassung anlegen"),
            text=_(
                "Die neue Fassung übernimmt Text, Ziele, Unterziele und Zielindikatoren von "
                "Fassung %(number)s als Entwurf. Die beschlossene Fassung gilt weiter, bis der "
                "Rat die neue beschließt."
            )
            % {"number": leitbild.number},
            submit=_("Neue Fassung anlegen"),
        )
    try:
        draft = services.start_new_version(leitbild=leitbild, actor=request.user)
    except ChainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(leitbild.pk))
    messages.success(
        request, _("Fassung %(number)s ist als Entwurf angelegt.") % {"number": draft.number}
    )
    return redirect(_detail_url(draft.pk))


# --- goals --------------------------------------------------------------------------------------


def _goal_values(data) -> dict:
    return {**data, "life_phases": list(data["life_phases"])}


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, pk):
    leitbild = access_leitbild(request.user, pk, write=True)
    return _form_view(
        request,
        GoalForm(request.POST or None, leitbild=leitbild),
        lambda data: services.create_goal(
            leitbild=leitbild, actor=request.user, **_goal_values(data)
        ),
        success=_("Das Ziel wurde angelegt."),
        done_url=_detail_url(leitbild.pk),
        leitbild=leitbild,
        title=_("Ziel anlegen"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = permissions.access_goal(request.user, pk, write=True)
    return _form_view(
        request,
        GoalForm(request.POST or None, leitbild=goal.leitbild, goal=goal),
        lambda data: services.update_goal(goal=goal, actor=request.user, **_goal_values(data)),
        success=_("Das Ziel wurde gespeichert."),
        done_url=_detail_url(goal.leitbild_id),
        leitbild=goal.leitbild,
        title=_("Ziel bearbeiten"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, pk):
    goal = permissions.access_goal(request.user, pk, write=True)
    return _confirmed_delete(
        request,
        leitbild=goal.leitbild,
        delete=lambda: services.delete_goal(goal=goal, actor=request.user),
        success=_("Das Ziel wurde gelöscht."),
        title=_("Ziel löschen"),
        text=_(
            "„%(title)s“ wird mit seinen Unterzielen und Zielindikatoren gelöscht. Das lässt "
            "sich nicht rückgängig machen."
        )
        % {"title": goal.title},
    )


# --- goal indicators ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_indicator_create(request, pk):
    goal = permissions.access_goal(request.user, pk, write=True)
    form = GoalIndicatorForm(request.POST or None, municipality=goal.leitbild.municipality)
    return _form_view(
        request,
        form,
        lambda data: services.add_goal_indicator(
            goal=goal, actor=request.user, measure=form.measure()
        ),
        success=_("Der Zielindikator wurde angelegt."),
        done_url=_detail_url(goal.leitbild_id),
        leitbild=goal.leitbild,
        title=_("Zielindikator für „%(goal)s“ anlegen") % {"goal": goal.title},
        intro=_(
            "Woran sehen Sie, ob das Ziel erreicht wird? Wählen Sie einen Indikator des "
            "Monitorings, den Ausgangswert und den Wert, der im Zieljahr erreicht sein soll."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_indicator_edit(request, pk):
    measure = permissions.access_goal_indicator(request.user, pk, write=True)
    leitbild = measure.goal.leitbild
    form = GoalIndicatorForm(
        request.POST or None, municipality=leitbild.municipality, goal_indicator=measure
    )
    return _form_view(
        request,
        form,
        lambda data: services.update_goal_indicator(
            goal_indicator=measure, actor=request.user, measure=form.measure()
        ),
        success=_("Der Zielindikator wurde gespeichert."),
        done_url=_detail_url(leitbild.pk),
        leitbild=leitbild,
        title=_("Zielindikator bearbeiten"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_indicator_delete(request, pk):
    measure = permissions.access_goal_indicator(request.user, pk, write=True)
    return _confirmed_delete(
        request,
        leitbild=measure.goal.leitbild,
        delete=lambda: services.delete_goal_indicator(goal_indicator=measure, actor=request.user),
        success=_("Der Zielindikator wurde gelöscht."),
        title=_("Zielindikator löschen"),
        text=_("„%(indicator)s“ wird aus dem Ziel „%(goal)s“ entfernt.")
        % {"indicator": measure.indicator.name, "goal": measure.goal.title},
    )
