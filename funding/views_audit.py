"""The timeline of an application: who changed what, when and why (issue 3 §11)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding.audit import INTERNAL_KINDS, KINDS, application_timeline
from funding.permissions import access_application, is_state_office
from funding.sections import sections

PAGE_SIZE = 50


@login_required
@require_GET
def application_history(request, pk):
    application = access_application(request.user, pk)
    internal = is_state_office(request.user)
    kinds = {key: label for key, label in KINDS.items() if internal or key not in INTERNAL_KINDS}
    kind = request.GET.get("art", "")
    if kind not in kinds:
        kind = ""
    entries = application_timeline(application, internal=internal, kind=kind)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "funding/audit/application_history.html",
        {
            "application": application,
            "sections": sections(request, application),
            "kinds": kinds,
            "kind": kind,
            "page": page,
        },
    )
