"""Who may see, request and download monitoring reports; 404 for missing and forbidden alike.

Members of a municipality see all its reports and may request one for any year with data.
The state office sees only reports made for it (municipality values, no Sozialraum profiles)
and only while the municipality keeps the year released; it may request those.
"""

from django.http import Http404

from monitoring import selectors
from monitoring.models import MonitoringReport, ReportAudience


def audience_for(user, municipality_id: int) -> str | None:
    """The audience of a report this user would get, None if the user gets none."""
    if selectors.is_member(user, municipality_id):
        return ReportAudience.MUNICIPALITY
    if selectors.is_state_office(user):
        return ReportAudience.STATE_OFFICE
    return None


def visible_reports(user, municipality):
    reports = MonitoringReport.objects.filter(municipality=municipality)
    audience = audience_for(user, municipality.pk)
    if audience == ReportAudience.MUNICIPALITY:
        return reports
    if audience == ReportAudience.STATE_OFFICE:
        return reports.filter(
            audience=ReportAudience.STATE_OFFICE,
            period__in=selectors.released_periods(municipality.pk),
        )
    return reports.none()


def access_report(user, municipality, report_id) -> MonitoringReport:
    try:
        return (
            visible_reports(user, municipality)
            .select_related("municipality", "requested_by")
            .get(pk=report_id)
        )
    except (MonitoringReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
