"""The public offering finder: families search published offerings without logging in."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from prevention_chains import finder
from prevention_chains.forms_public import FinderForm

PAGE_SIZE = 20


@require_GET
def finder_list(request):
    form = FinderForm(request.GET or None)
    filters = form.finder_filter()
    page = finder.finder_page(filters, request.GET.get("seite"), PAGE_SIZE)
    for offering in page.object_list:
        finder.describe(offering)
    context = {"form": form, "filters": filters, "page": page}
    return render(request, "prevention_chains/public/finder.html", context)


@require_GET
def finder_detail(request, offering_id):
    offering = finder.describe(finder.finder_offering(offering_id))
    return render(request, "prevention_chains/public/finder_detail.html", {"offering": offering})
