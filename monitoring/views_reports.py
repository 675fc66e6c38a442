"""Monitoring report pages (issue 4 §8): request a report, watch it being rendered, download it.

Members of the municipality and the state office reach the page (monitoring.permissions);
which reports they see and may request is decided in monitoring.reports.permissions.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import DocumentStatus
from monitoring.permissions import access_monitoring
from monitoring.reports import services
from monitoring.reports.permissions import access_report, audience_for, visible_reports

REPORTS_PER_PAGE = 20


class ReportRequestForm(forms.Form):
    period = forms.TypedChoiceField(
        label=gettext_lazy("Berichtsjahr"),
        coerce=int,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Für dieses Jahr können Sie keinen Bericht anfordern. Bitte wählen Sie ein "
                "Jahr aus der Liste."
            ),
            "required": gettext_lazy("Bitte wählen Sie ein Jahr."),
        },
    )

    def __init__(self, *args, periods: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, str(p)) for p in periods]


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request, slug):
    municipality = access_monitoring(request.user, slug)
    periods = services.requestable_periods(request.user, municipality)
    form = ReportRequestForm(request.POST or None, periods=periods)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_report(
                    municipality=municipality,
                    period=form.cleaned_data["period"],
                    actor=request.user,
                )
            except services.ReportError as error:
                form.add_error("period", error.messages[0])
            else:
                messages.success(
                    request,
                    _(
                        "Der Bericht für %(year)s wird erstellt. Sie können diese Seite "
                        "verlassen; er steht danach hier zum Herunterladen bereit."
                    )
                    % {"year": form.cleaned_data["period"]},
                )
                return redirect("monitoring:report_list", slug=municipality.slug)
        status = 400
    reports = visible_reports(request.user, municipality).select_related("requested_by")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "monitoring/reports/report_list.html",
        {
            "municipality": municipality,
            "page": page,
            "form": form,
            "periods": periods,
            "audience": audience_for(request.user, municipality.pk),
        },
        status=status,
    )


@login_required
@require_GET
def report_status(request, slug, pk):
    """One row of the list; htmx polls it while the report is being rendered."""
    municipality = access_monitoring(request.user, slug)
    report = access_report(request.user, municipality, pk)
    return render(
        request,
        "monitoring/reports/_report_row.html",
        {"municipality": municipality, "report": report},
    )


@login_required
@require_GET
def report_download(request, slug, pk):
    municipality = access_monitoring(request.user, slug)
    report = access_report(request.user, municipality, pk)
    if report.status != DocumentStatus.DONE or not report.file:
        raise Http404
    filename = f"Monitoringbericht-{municipality.slug}-{report.period}.pdf"
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    # A report holds internal data: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
