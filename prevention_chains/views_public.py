"""The public offering finder: families search published offerings without logging in."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prevention_chains import finder
from prevention_chains.forms_public import FinderForm

PAGE_SIZE = 20


@require_GET
def finder_list(request):
    form = FinderForm(request.GET or None)
    filters = form.finder_filter()
    page = Paginator(finder.finder_results(filters), PAGE_SIZE).get_page(request.GET.get("seite"))
    for offering in page.object_list:
        offering.language_names = [finder.language_name(code) for code in offering.languages]
    context = {"form": form, "filters": filters, "page": page}
    return render(request, "prevention_chains/public/finder.html", context)


@require_GET
def finder_detail(request, offering_id):
    offering = finder.finder_offering(offering_id)
    context = {
        "offering": offering,
        "language_names": [finder.language_name(code) for code in offering.languages],
    }
    return render(request, "prevention_chains/public/finder_detail.html", context)
