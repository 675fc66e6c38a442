"""Pages of the monitoring data: Sozialräume, indicator catalogue, single values, quality
findings and approval of years. Thin: fetch through monitoring.permissions, call a service,
render; a domain error becomes a message on the page and the form keeps the input."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from monitoring import quality, services
from monitoring.disclosure_cells import refresh_disclosure
from monitoring.forms_data import (
    ApproveForm,
    BoundaryForm,
    EntryForm,
    FlagFilterForm,
    LocalIndicatorForm,
    NewVersionForm,
    PopulationForm,
    ReopenForm,
    ResolveFlagForm,
    SozialraumForm,
)
from monitoring.models import (
    DataApproval,
    DataApprovalEvent,
    Indicator,
    Observation,
    QualityFlag,
    QualityFlagKind,
)
from monitoring.permissions import (
    access_local_indicator,
    access_monitoring,
    access_quality_flag,
    access_sozialraum,
    can_write_data,
)
from municipalities import sozialraeume as sozialraum_services
from municipalities.geo import parse_geojson
from municipalities.models import Sozialraum, SozialraumLevel
from municipalities.permissions import roles_by_municipality

PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _nav(user, municipality) -> dict:
    """What the links between the monitoring pages may offer this user."""
    return {
        "writable": can_write_data(user, municipality.pk),
        # The import is the coordinators' own tool (monitoring.imports.access).
        "can_import": Role.COORDINATOR in roles_by_municipality(user).get(municipality.pk, ()),
    }


# --- indicator catalogue (public metadata) -------------------------------------------------


def indicator_list(request):
    indicators = Indicator.objects.catalogue().filter(is_active=True)
    themes = sorted(set(indicators.values_list("theme", flat=True)))
    phases = sorted(set(indicators.values_list("life_phase", flat=True)) - {""})
    theme = request.GET.get("thema", "")
    phase = request.GET.get("lebensphase", "")
    if theme in themes:
        indicators = indicators.filter(theme=theme)
    if phase in phases:
        indicators = indicators.filter(life_phase=phase)
    return render(
        request,
        "monitoring/data/indicator_list.html",
        {
            "indicators": list(indicators),
            "themes": themes,
            "phases": phases,
            "theme": theme,
            "phase": phase,
        },
    )


def indicator_detail(request, pk):
    indicator = Indicator.objects.select_related("municipality").filter(pk=pk).first()
    if indicator is None:
        raise Http404
    if indicator.municipality_id is not None:
        indicator = access_local_indicator(request.user, pk)
    return render(request, "monitoring/data/indicator_detail.html", {"indicator": indicator})


@login_required
def local_indicators(request, slug):
    municipality = access_monitoring(request.user, slug)
    writable = can_write_data(request.user, municipality.pk)
    form = LocalIndicatorForm(request.POST or None) if writable else None
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                indicator = services.create_local_indicator(
                    actor=request.user, municipality=municipality, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("code", _error_text(error))
            else:
                messages.success(
                    request, _("Der Indikator „%(name)s“ ist angelegt.") % {"name": indicator.name}
                )
                return redirect("monitoring:local_indicators", slug=municipality.slug)
    return render(
        request,
        "monitoring/data/local_indicators.html",
        {
            "municipality": municipality,
            "indicators": Indicator.objects.filter(municipality=municipality),
            "form": form,
        },
    )


# --- Sozialräume ----------------------------------------------------------------------------


@login_required
def sozialraum_list(request, slug):
    municipality = access_monitoring(request.user, slug)
    show_all = request.GET.get("alle") == "1"
    areas = Sozialraum.objects.filter(municipality=municipality).annotate(
        population_years=Count("population__year", distinct=True)
    )
    if not show_all:
        areas = areas.valid_on(timezone.localdate())
    areas = list(areas.order_by("code", "valid_from"))
    # Stadtbezirk > Sozialraum: children are listed under their district, the rest at the top.
    children: dict[int, list] = {}
    ids = {a.pk for a in areas}
    for area in areas:
        if area.parent_id in ids:
            children.setdefault(area.parent_id, []).append(area)
    rows = []
    for area in areas:
        if area.parent_id in ids:
            continue
        rows.append((area, 0))
        rows.extend((child, 1) for child in children.get(area.pk, []))
    return render(
        request,
        "monitoring/data/sozialraum_list.html",
        {
            "municipality": municipality,
            "nav": _nav(request.user, municipality),
            "rows": rows,
            "show_all": show_all,
            "writable": can_write_data(request.user, municipality.pk),
        },
    )


def _districts(municipality, exclude=None):
    qs = Sozialraum.objects.filter(municipality=municipality, level=SozialraumLevel.STADTBEZIRK)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.order_by("code", "valid_from"))


@login_required
def sozialraum_create(request, slug):
    municipality = access_monitoring(request.user, slug, write=True)
    form = SozialraumForm(request.POST or None, districts=_districts(municipality))
    if request.method == "POST" and form.is_valid():
        try:
            area = sozialraum_services.create_sozialraum(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
            refresh_disclosure(municipality_id=municipality.pk)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Der Sozialraum „%(name)s“ ist angelegt.") % {"name": area})
            return redirect("monitoring:sozialraum_detail", pk=area.pk)
    return render(
        request,
        "monitoring/data/sozialraum_form.html",
        {"municipality": municipality, "form": form, "area": None},
    )


@login_required
def sozialraum_detail(request, pk):
    area = access_sozialraum(request.user, pk)
    population = list(area.population.order_by("-year", "age_from"))
    versions = list(
        Sozialraum.objects.filter(municipality_id=area.municipality_id, code=area.code).order_by(
            "valid_from"
        )
    )
    return render(
        request,
        "monitoring/data/sozialraum_detail.html",
        {
            "area": area,
            "municipality": area.municipality,
            "population": population,
            "versions": versions,
            "children": list(area.children.order_by("code")),
            "writable": can_write_data(request.user, area.municipality_id),
        },
    )


@login_required
def sozialraum_edit(request, pk):
    area = access_sozialraum(request.user, pk, write=True)
    initial = {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent_id,
        "valid_from": area.valid_from,
        "valid_to": area.valid_to,
    }
    form = SozialraumForm(
        request.POST or None, initial=initial, districts=_districts(area.municipality, area)
    )
    if request.method == "POST" and form.is_valid():
        try:
            sozialraum_services.update_sozialraum(
                actor=request.user, sozialraum=area, **form.cleaned_data
            )
            refresh_disclosure(municipality_id=area.municipality_id)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect("monitoring:sozialraum_detail", pk=area.pk)
    return render(
        request,
        "monitoring/data/sozialraum_form.html",
        {"municipality": area.municipality, "form": form, "area": area},
    )


@login_required
def sozialraum_new_version(request, pk):
    area = access_sozialraum(request.user, pk, write=True)
    form = NewVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["boundary"]
            boundary = parse_geojson(upload.read()) if upload else None
            new = sozialraum_services.create_new_version(
                actor=request.user,
                sozialraum=area,
                valid_from=form.cleaned_data["valid_from"],
                name=form.cleaned_data["name"] or None,
                boundary=boundary,
            )
            refresh_disclosure(municipality_id=area.municipality_id)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Die neue Version gilt ab %(date)s; die bisherige endet am Vortag.")
                % {"date": new.valid_from.strftime("%d.%m.%Y")},
            )
            return redirect("monitoring:sozialraum_detail", pk=new.pk)
    return render(
        request,
        "monitoring/data/sozialraum_version.html",
        {"municipality": area.municipality, "area": area, "form": form},
    )


@login_required
def sozialraum_boundary(request, pk):
    area = access_sozialraum(request.user, pk, write=True)
    form = BoundaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sozialraum_services.set_boundary(
                actor=request.user, sozialraum=area, geojson=form.cleaned_data["boundary"]
            )
        except ValidationError as error:
            form.add_error("boundary", _error_text(error))
        else:
            messages.success(request, _("Die Grenze ist geprüft und gespeichert."))
            return redirect("monitoring:sozialraum_detail", pk=area.pk)
    return render(
        request,
        "monitoring/data/sozialraum_boundary.html",
        {"municipality": area.municipality, "area": area, "form": form},
    )


@login_required
def sozialraum_population(request, pk):
    area = access_sozialraum(request.user, pk, write=True)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = sozialraum_services.parse_population(form.cleaned_data["rows"])
            created, updated = sozialraum_services.set_population(
                actor=request.user, sozialraum=area, rows=rows
            )
        except ValidationError as error:
            form.add_error("rows", _error_text(error))
        else:
            messages.success(
                request,
                _("Bevölkerung gespeichert: %(created)d neue, %(updated)d geänderte Angaben.")
                % {"created": created, "updated": updated},
            )
            return redirect("monitoring:sozialraum_detail", pk=area.pk)
    return render(
        request,
        "monitoring/data/sozialraum_population.html",
        {"municipality": area.municipality, "area": area, "form": form},
    )


# --- single values --------------------------------------------------------------------------


@login_required
def entry(request, slug):
    municipality = access_monitoring(request.user, slug, write=True)
    indicators = list(Indicator.objects.usable_by(municipality.pk).filter(is_active=True))
    areas = list(
        Sozialraum.objects.filter(municipality=municipality).order_by("code", "valid_from")
    )
    observation = None
    if request.method == "POST":
        form = EntryForm(request.POST, indicators=indicators, sozialraeume=areas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_observation(
                    actor=request.user,
                    indicator=data["indicator"],
                    sozialraum=data["sozialraum"],
                    period=data["period"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    status=data["status"],
                    expected_updated_at=data["expected_updated_at"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Der Wert ist gespeichert."))
                return redirect("monitoring:entry", slug=municipality.slug)
    else:
        # Editing: the form opens with the stored value and its version (optimistic locking).
        initial = {}
        try:
            key = {
                "indicator_id": int(request.GET["indikator"]),
                "sozialraum_id": int(request.GET["sozialraum"]),
                "period": int(request.GET["jahr"]),
            }
        except (KeyError, ValueError):
            key = None
        if key and key["sozialraum_id"] in {a.pk for a in areas}:
            observation = Observation.objects.filter(**key).first()
            initial = {
                "indicator": key["indicator_id"],
                "sozialraum": key["sozialraum_id"],
                "period": key["period"],
            }
            if observation:
                initial.update(
                    status=observation.status,
                    numerator=observation.numerator,
                    denominator=observation.denominator,
                    expected_updated_at=observation.updated_at.isoformat(timespec="microseconds"),
                )
        form = EntryForm(initial=initial, indicators=indicators, sozialraeume=areas)
    recent = Observation.objects.filter(sozialraum__municipality=municipality).select_related(
        "indicator", "sozialraum"
    )
    filter_indicator = request.GET.get("filter_indikator", "")
    if filter_indicator.isdigit():
        recent = recent.filter(indicator_id=int(filter_indicator))
    page = Paginator(recent.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "monitoring/data/entry.html",
        {
            "municipality": municipality,
            "nav": _nav(request.user, municipality),
            "form": form,
            "observation": observation,
            "page": page,
            "indicators": indicators,
            "filter_indicator": filter_indicator,
            "locked": sorted(services.locked_periods(municipality.pk)),
        },
    )


# --- quality findings -----------------------------------------------------------------------


@login_required
def flag_list(request, slug):
    municipality = access_monitoring(request.user, slug, write=True)
    indicators = list(Indicator.objects.usable_by(municipality.pk))
    form = FlagFilterForm(request.GET or None, kinds=QualityFlagKind.choices, indicators=indicators)
    flags = QualityFlag.objects.filter(
        observation__sozialraum__municipality=municipality
    ).select_related("observation__indicator", "observation__sozialraum", "resolved_by")
    if form.is_valid():
        data = form.cleaned_data
        if not data["erledigt"]:
            flags = flags.filter(resolved_at__isnull=True)
        if data["art"]:
            flags = flags.filter(kind=data["art"])
        if data["jahr"]:
            flags = flags.filter(observation__period=data["jahr"])
        if data["indikator"]:
            flags = flags.filter(observation__indicator_id=data["indikator"])
    else:
        flags = flags.filter(resolved_at__isnull=True)
    page = Paginator(
        flags.order_by("resolved_at", "-observation__period", "observation__indicator__name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "monitoring/data/flag_list.html",
        {
            "municipality": municipality,
            "nav": _nav(request.user, municipality),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "resolve_form": ResolveFlagForm(),
        },
    )


@login_required
@require_POST
def flag_resolve(request, pk):
    flag = access_quality_flag(request.user, pk)
    municipality = flag.observation.sozialraum.municipality
    form = ResolveFlagForm(request.POST)
    if form.is_valid():
        quality.resolve_flag(actor=request.user, flag=flag, note=form.cleaned_data["note"])
        messages.success(request, _("Der Prüfhinweis ist als geprüft vermerkt."))
    else:
        messages.error(request, _("Bitte schreiben Sie einen Prüfvermerk, bevor Sie abhaken."))
    return redirect("monitoring:flag_list", slug=municipality.slug)


# --- approval of years ----------------------------------------------------------------------


@login_required
def approval_list(request, slug):
    municipality = access_monitoring(request.user, slug)
    writable = can_write_data(request.user, municipality.pk)
    approvals = {
        a.period: a
        for a in DataApproval.objects.filter(municipality=municipality).select_related(
            "approved_by"
        )
    }
    counts = dict(
        Observation.objects.filter(sozialraum__municipality=municipality)
        .values_list("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
    )
    open_flags = dict(
        QualityFlag.objects.filter(
            observation__sozialraum__municipality=municipality, resolved_at__isnull=True
        )
        .values_list("observation__period")
        .annotate(n=Count("pk"))
        .values_list("observation__period", "n")
    )
    years = sorted(set(counts) | set(approvals), reverse=True)
    rows = [
        {
            "year": year,
            "values": counts.get(year, 0),
            "open_flags": open_flags.get(year, 0),
            "approval": approvals.get(year),
        }
        for year in years
    ]
    events = DataApprovalEvent.objects.filter(municipality=municipality).select_related("actor")[
        :30
    ]
    return render(
        request,
        "monitoring/data/approval_list.html",
        {
            "municipality": municipality,
            "nav": _nav(request.user, municipality),
            "rows": rows,
            "events": events,
            "writable": writable,
            "reopen_form": ReopenForm(),
        },
    )


@login_required
def approval_confirm(request, slug, year):
    """Approving locks the year: a confirmation page first, naming what will be locked."""
    municipality = access_monitoring(request.user, slug, write=True)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_year(actor=request.user, municipality=municipality, period=year)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Das Jahr %(year)d ist freigegeben und gesperrt.") % {"year": year},
            )
            return redirect("monitoring:approval_list", slug=municipality.slug)
    open_flags = QualityFlag.objects.filter(
        observation__sozialraum__municipality=municipality,
        observation__period=year,
        resolved_at__isnull=True,
    ).count()
    values = Observation.objects.filter(sozialraum__municipality=municipality, period=year).count()
    return render(
        request,
        "monitoring/data/approval_confirm.html",
        {
            "municipality": municipality,
            "year": year,
            "form": form,
            "open_flags": open_flags,
            "values": values,
        },
    )


@login_required
@require_POST
def approval_release(request, slug, year):
    municipality = access_monitoring(request.user, slug, write=True)
    released = request.POST.get("released") == "1"
    try:
        services.set_released_to_state_office(
            actor=request.user, municipality=municipality, period=year, released=released
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            (
                _("Das Jahr %(year)d ist an die Landeskoordinierungsstelle weitergegeben.")
                if released
                else _("Die Weitergabe des Jahres %(year)d ist zurückgenommen.")
            )
            % {"year": year},
        )
    return redirect("monitoring:approval_list", slug=municipality.slug)


@login_required
@require_POST
def approval_reopen(request, slug, year):
    municipality = access_monitoring(request.user, slug, write=True)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Bitte geben Sie eine Begründung an."))
        services.reopen_year(
            actor=request.user,
            municipality=municipality,
            period=year,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Die Freigabe des Jahres %(year)d ist aufgehoben; die Werte sind wieder änderbar.")
            % {"year": year},
        )
    return redirect("monitoring:approval_list", slug=municipality.slug)
