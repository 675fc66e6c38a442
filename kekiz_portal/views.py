from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from municipalities import selectors


@require_GET
def home(request):
    programme, participant_count, by_cohort = selectors.home_programme_summary(timezone.localdate())
    return render(
        request,
        "home.html",
        {
            "programme": programme,
            "participant_count": participant_count,
            "by_cohort": sorted(by_cohort.items()),
        },
    )


@require_GET
@login_required
def start(request):
    page = selectors.start_page(request.user, timezone.localdate())
    return render(request, "start.html", {"page": page})


@require_GET
def about(request):
    return render(request, "about.html")
