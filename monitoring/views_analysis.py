"""Analysis pages (issue 4 §6, §7): overview, time series, comparison of the Sozialräume with
map, municipality vs Kreis vs NRW, comments, need index, and the state-office view.

Who reads: members of the municipality (coordinators with raw values, everyone else with
disclosure control) and the state office for the years the municipality released. Anyone
else gets 404, anonymous visitors the login page. Values come only from monitoring.selectors,
which applies disclosure control.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import PROGRAMME_WIDE_ROLES
from monitoring import charts, need_index, selectors
from monitoring.forms_analysis import CommentForm, NeedIndexForm
from monitoring.models import Comment, Indicator, NeedIndex
from monitoring.permissions import can_write_data
from monitoring.services_analysis import add_comment
from municipalities.models import Municipality, Sozialraum


def access_analysis(user, slug) -> tuple[Municipality, list[int]]:
    """The municipality and the years the user may analyse; 404 if none."""
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)
    allowed = selectors.readable_periods(user, municipality.pk)
    if allowed is not None and not allowed:
        raise Http404
    return municipality, selectors.periods_with_data(user, municipality)


def _chosen_period(request, periods: list[int]) -> int | None:
    try:
        wanted = int(request.GET.get("jahr", ""))
    except ValueError:
        wanted = None
    if wanted in periods:
        return wanted
    return periods[0] if periods else None


def _indicator(municipality, indicator_id) -> Indicator:
    return get_object_or_404(Indicator.objects.usable_by(municipality.pk), pk=indicator_id)


def _context(request, municipality, periods, **extra):
    return {
        "municipality": municipality,
        "periods": periods,
        "raw": selectors.has_raw_access(request.user, municipality.pk),
        "is_member": selectors.is_member(request.user, municipality.pk),
        **extra,
    }


@login_required
@require_GET
def overview(request, slug):
    municipality, periods = access_analysis(request.user, slug)
    period = _chosen_period(request, periods)
    rows = []
    if period is not None:
        table = selectors.observation_table(
            user=request.user, municipality=municipality, periods=[period]
        )
        by_indicator: dict[int, dict] = {}
        for row in table:
            entry = by_indicator.setdefault(
                row.indicator.pk,
                {"indicator": row.indicator, "total": None, "shown": 0, "hidden": 0},
            )
            if row.is_total:
                entry["total"] = row
            elif row.would_be_suppressed:
                # For coordinators too: how many cells the others see as „.“
                entry["hidden"] += 1
            elif row.value is not None:
                entry["shown"] += 1
        rows = list(by_indicator.values())
    return render(
        request,
        "monitoring/analysis/overview.html",
        _context(request, municipality, periods, period=period, rows=rows),
    )


def _series_areas(request, areas: list[Sozialraum]) -> list[Sozialraum]:
    wanted = set(request.GET.getlist("gebiet"))
    chosen = [a for a in areas if str(a.pk) in wanted]
    if chosen:
        return chosen
    top = [a for a in areas if a.parent_id is None]
    return top[:8]


@login_required
@require_GET
def series(request, slug, indicator_id):
    municipality, periods = access_analysis(request.user, slug)
    indicator = _indicator(municipality, indicator_id)
    areas = list(Sozialraum.objects.filter(municipality=municipality).order_by("code", "pk"))
    chosen = _series_areas(request, areas)
    rows = selectors.observation_table(
        user=request.user,
        municipality=municipality,
        indicators=[indicator],
        sozialraeume=chosen,
    )
    years = sorted({r.period for r in rows})
    by_area: dict[object, dict[int, object]] = {}
    for row in rows:
        by_area.setdefault(row.sozialraum, {})[row.period] = row
    table = [
        {"area": area, "cells": [cells.get(year) for year in years]}
        for area, cells in by_area.items()
    ]
    spec = charts.time_series(rows, indicator=indicator, municipality_name=municipality.short_name)
    hidden = sum(1 for r in rows if r.suppressed and not r.raw)
    return render(
        request,
        "monitoring/analysis/series.html",
        _context(
            request,
            municipality,
            periods,
            indicator=indicator,
            areas=areas,
            chosen_ids={a.pk for a in chosen},
            years=years,
            table=table,
            spec=spec,
            hidden=hidden,
        ),
    )


def _comments(municipality, indicator, period):
    return (
        Comment.objects.filter(
            sozialraum__municipality=municipality, indicator=indicator, period=period
        )
        .select_related("sozialraum", "author")
        .order_by("-created_at")[:50]
    )


@login_required
@require_GET
def comparison(request, slug, indicator_id):
    municipality, periods = access_analysis(request.user, slug)
    indicator = _indicator(municipality, indicator_id)
    period = _chosen_period(request, periods)
    return _render_comparison(request, municipality, periods, indicator, period, form=None)


def _render_comparison(request, municipality, periods, indicator, period, form, status=200):
    rows = []
    if period is not None:
        rows = selectors.observation_table(
            user=request.user, municipality=municipality, indicators=[indicator], periods=[period]
        )
    parents = {r.sozialraum.parent_id for r in rows if r.sozialraum}
    leaves = [r for r in rows if r.sozialraum and r.sozialraum.pk not in parents]
    ranked = sorted(
        leaves,
        key=lambda r: (r.value is None or (r.suppressed and not r.raw), -(r.value or 0)),
    )
    total = next((r for r in rows if r.is_total), None)
    districts = [r for r in rows if r.sozialraum and r.sozialraum.pk in parents]
    is_member = selectors.is_member(request.user, municipality.pk)
    if is_member and form is None:
        form = CommentForm(areas=_comment_areas(municipality))
    context = _context(
        request,
        municipality,
        periods,
        indicator=indicator,
        period=period,
        ranked=ranked,
        total=total,
        districts=districts,
        bar_spec=charts.ranking(leaves, indicator=indicator, period=period) if rows else None,
        map_spec=charts.choropleth(leaves, indicator=indicator, period=period) if rows else None,
        description=charts.describe(leaves, indicator=indicator, period=period),
        comments=_comments(municipality, indicator, period) if period else [],
        form=form,
    )
    return render(request, "monitoring/analysis/comparison.html", context, status=status)


def _comment_areas(municipality):
    return Sozialraum.objects.filter(municipality=municipality).order_by("code", "pk")


@login_required
@require_POST
def comment_create(request, slug, indicator_id):
    municipality, periods = access_analysis(request.user, slug)
    if not selectors.is_member(request.user, municipality.pk):
        raise Http404
    indicator = _indicator(municipality, indicator_id)
    period = _chosen_period(request, periods)
    form = CommentForm(request.POST, areas=_comment_areas(municipality))
    if not form.is_valid() or period is None:
        return _render_comparison(
            request, municipality, periods, indicator, period, form=form, status=400
        )
    add_comment(
        actor=request.user,
        sozialraum=form.cleaned_data["sozialraum"],
        indicator=indicator,
        period=period,
        text=form.cleaned_data["text"],
    )
    messages.success(request, _("Ihr Kommentar wurde gespeichert."))
    url = redirect("monitoring:analysis_comparison", municipality.slug, indicator.pk).url
    return redirect(f"{url}?jahr={period}#kommentare")


@login_required
@require_GET
def reference(request, slug, indicator_id):
    municipality, periods = access_analysis(request.user, slug)
    indicator = _indicator(municipality, indicator_id)
    own = selectors.observation_table(
        user=request.user,
        municipality=municipality,
        indicators=[indicator],
        sozialraeume=[],
    )
    references = selectors.reference_values(
        indicator=indicator, municipality=municipality, periods=periods
    )
    years = sorted({r.period for r in own} | {r.period for r in references})
    lines = [
        (municipality.short_name, r.period, r.value)
        for r in own
        if r.value is not None and (r.raw or not r.suppressed)
    ]
    lines += [(r.label, r.period, r.value) for r in references if not r.suppressed]
    own_by_year = {r.period: r for r in own}
    labels = list(dict.fromkeys(r.label for r in references))
    ref_by_key = {(r.label, r.period): r for r in references}
    table = [
        {
            "year": year,
            "own": own_by_year.get(year),
            "refs": [ref_by_key.get((label, year)) for label in labels],
        }
        for year in years
    ]
    return render(
        request,
        "monitoring/analysis/reference.html",
        _context(
            request,
            municipality,
            periods,
            indicator=indicator,
            table=table,
            labels=labels,
            has_references=any(not r.suppressed for r in references),
            spec=charts.comparison(lines, indicator=indicator) if lines else None,
            min_municipalities=selectors.MIN_REFERENCE_MUNICIPALITIES,
        ),
    )


# ---------------------------------------------------------------------------------------------
# Need index


def _access_need_index(user, slug, pk, write=False):
    municipality, periods = access_analysis(user, slug)
    index = get_object_or_404(NeedIndex, municipality=municipality, pk=pk)
    if index.period not in periods and not selectors.is_member(user, municipality.pk):
        raise Http404
    if write and not can_write_need_index(user, municipality):
        raise Http404
    return municipality, periods, index


def can_write_need_index(user, municipality) -> bool:
    """Need indices are the coordinators' instrument (and the programme administration's)."""
    return selectors.is_member(user, municipality.pk) and can_write_data(user, municipality.pk)


@login_required
@require_GET
def need_index_list(request, slug):
    municipality, periods = access_analysis(request.user, slug)
    indices = NeedIndex.objects.filter(municipality=municipality).order_by("name")
    if not selectors.is_member(request.user, municipality.pk):
        indices = indices.filter(period__in=periods)
    return render(
        request,
        "monitoring/analysis/need_index_list.html",
        _context(
            request,
            municipality,
            periods,
            indices=indices,
            can_edit=can_write_need_index(request.user, municipality),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_index_edit(request, slug, pk=None):
    if pk is None:
        municipality, periods = access_analysis(request.user, slug)
        if not can_write_need_index(request.user, municipality):
            raise Http404
        index = None
    else:
        municipality, periods, index = _access_need_index(request.user, slug, pk, write=True)
    indicators = need_index.selectable_indicators(municipality)
    initial = None
    if index is not None:
        initial = {"name": index.name, "period": index.period}
        for component in index.components.all():
            initial[NeedIndexForm.weight_field(component.indicator)] = component.weight
    form = NeedIndexForm(
        request.POST or None, initial=initial, indicators=indicators, periods=periods
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                index = need_index.save_need_index(
                    actor=request.user,
                    municipality=municipality,
                    name=form.cleaned_data["name"],
                    period=form.cleaned_data["period"],
                    weights=form.weights(),
                    need_index=index,
                )
            except need_index.NeedIndexError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Der Bedarfsindex wurde gespeichert."))
                return redirect("monitoring:need_index_detail", municipality.slug, index.pk)
        status = 400
    return render(
        request,
        "monitoring/analysis/need_index_form.html",
        _context(request, municipality, periods, form=form, index=index),
        status=status,
    )


@login_required
@require_GET
def need_index_detail(request, slug, pk):
    municipality, periods, index = _access_need_index(request.user, slug, pk)
    results = need_index.compute(need_index=index, user=request.user)
    components = list(index.components.select_related("indicator").order_by("indicator__name"))
    return render(
        request,
        "monitoring/analysis/need_index_detail.html",
        _context(
            request,
            municipality,
            periods,
            index=index,
            components=components,
            results=results,
            rows=[
                {"result": r, "z": [r.z_scores.get(c.indicator_id) for c in components]}
                for r in results
            ],
            spec=charts.need_index_bars(results) if results else None,
            can_edit=can_write_need_index(request.user, municipality),
        ),
    )


# ---------------------------------------------------------------------------------------------
# State office


@login_required
@require_GET
def state_office(request):
    if not request.user.has_programme_role(*PROGRAMME_WIDE_ROLES):
        raise Http404
    indicators = list(Indicator.objects.catalogue().filter(is_active=True))
    indicator = None
    try:
        indicator = next(i for i in indicators if str(i.pk) == request.GET.get("indikator"))
    except StopIteration:
        indicator = indicators[0] if indicators else None
    periods = sorted(selectors.released_years(), reverse=True)
    period = _chosen_period(request, periods)
    rows = []
    if indicator and period is not None:
        rows = selectors.state_office_table(indicator=indicator, period=period)
    return render(
        request,
        "monitoring/analysis/state_office.html",
        {
            "indicators": indicators,
            "indicator": indicator,
            "periods": periods,
            "period": period,
            "rows": rows,
            "hidden": sum(1 for r in rows if r.suppressed),
            "spec": charts.municipality_bars(rows, indicator=indicator) if rows else None,
        },
    )
