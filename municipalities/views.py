import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.api.renderers import spreadsheet_text
from municipalities import coverage, maps, selectors
from municipalities.forms import DirectoryFilterForm, ReferenceDateForm
from municipalities.permissions import access_municipality, can_read_internal

PAGE_SIZE = 50


@require_GET
def programme_detail(request, slug):
    programme = get_object_or_404(selectors.programmes(), slug=slug)
    form = ReferenceDateForm(request.GET or None)
    today = timezone.localdate()
    reference_date = today
    if form.is_bound and form.is_valid() and form.cleaned_data["datum"]:
        reference_date = form.cleaned_data["datum"]
    participations = selectors.participants(programme, reference_date)
    context = {
        "programme": programme,
        "form": form,
        "reference_date": reference_date,
        "is_today": reference_date == today,
        "participations": participations,
        "coverage": coverage.compute_coverage(programme, reference_date),
        "map": maps.participation_map(programme, reference_date, participations),
    }
    # A bad date is the caller's mistake: say so (400) but still show today's figures.
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "municipalities/programme_detail.html", context, status=status)


def _directory(request):
    form = DirectoryFilterForm(request.GET or None, cohorts=selectors.cohorts())
    return form, selectors.municipality_directory(form.directory_filter())


@require_GET
@vary_on_headers("HX-Request")
def municipality_list(request):
    form, municipalities = _directory(request)
    page = Paginator(municipalities, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {"form": form, "page": page}
    # htmx swaps only the results; a history restore after a cache miss needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "municipalities/_directory_results.html", context)
    return render(request, "municipalities/municipality_list.html", context)


@require_GET
def municipality_list_csv(request):
    _form, municipalities = _directory(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kommunen.csv"'
    # The byte order mark and semicolons are what German spreadsheet programs expect.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("AGS"),
            _("Name"),
            _("amtlicher Name"),
            _("Art"),
            _("Regierungsbezirk"),
            _("Kreis"),
            _("Bevölkerung"),
            _("Stichtag"),
            _("Teilnahme"),
        ]
    )
    for m in municipalities.iterator(chunk_size=500):
        writer.writerow(
            [
                spreadsheet_text(m.ags),
                spreadsheet_text(m.short_name),
                spreadsheet_text(m.name),
                spreadsheet_text(m.get_kind_display()),
                spreadsheet_text(m.get_regierungsbezirk_display()),
                spreadsheet_text(m.parent.short_name if m.parent else ""),
                spreadsheet_text(m.population),
                spreadsheet_text(m.population_date.isoformat() if m.population_date else ""),
                spreadsheet_text(
                    ", ".join(f"{p.programme.short_name} {p.cohort}" for p in m.participation_list)
                ),
            ]
        )
    return response


@require_GET
def municipality_detail(request, slug):
    municipality_id = selectors.municipality_id_for_slug(slug)
    if municipality_id is None:
        raise Http404
    municipality = access_municipality(request.user, municipality_id)
    page = selectors.municipality_page(
        municipality, show_members=can_read_internal(request.user, municipality.pk)
    )
    return render(request, "municipalities/municipality_detail.html", {"page": page})
