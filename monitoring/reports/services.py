"""Requesting and rendering monitoring reports.

Disclosure: a report shows values as someone without raw-data rights sees them, whoever asked
for it – also a coordinator's report hides values below k („.“). A PDF is forwarded (to a
committee, the press), so it follows the strictest rule, not its requester's rights.
"""

from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.documents import Progress, recent_pending, render_queued
from accounts.pdf import render_pdf
from monitoring import charts, selectors
from monitoring.models import Indicator, MonitoringReport, ReportAudience
from monitoring.reports.permissions import audience_for
from monitoring.services import MonitoringError

# Years of history in the state office's time-series charts.
HISTORY_YEARS = 5


class ReportError(MonitoringError):
    """A report could not be requested; the message says why in plain German."""


def requestable_periods(user, municipality) -> list[int]:
    """Years the user may request a report for, newest first."""
    if audience_for(user, municipality.pk) is None:
        return []
    return selectors.periods_with_data(user, municipality)


@transaction.atomic
def request_report(*, municipality, period: int, actor) -> MonitoringReport:
    """Queue a report; the worker renders it once the request is committed."""
    audience = audience_for(actor, municipality.pk)
    if audience is None:
        raise ReportError(_("Sie dürfen für diese Kommune keinen Bericht anfordern."))
    if period not in requestable_periods(actor, municipality):
        raise ReportError(
            _(
                "Für %(year)s liegen keine Daten vor, die Sie sehen dürfen. Bitte wählen Sie "
                "ein anderes Jahr."
            )
            % {"year": period}
        )
    pending = recent_pending(
        MonitoringReport.objects.filter(
            municipality=municipality, period=period, audience=audience, requested_by=actor
        )
    )
    if pending is not None:
        return pending
    report = MonitoringReport.objects.create(
        municipality=municipality, period=period, audience=audience, requested_by=actor
    )
    from monitoring.reports.tasks import render_report_task

    transaction.on_commit(lambda: render_report_task.delay(report.pk))
    return report


def render_report(*, report_id: int) -> bool:
    """Render a queued report into its PDF file. Returns False if there was nothing to do
    (already rendered or being rendered: running the task twice renders once) or if rendering
    failed (the report says so)."""
    return render_queued(
        MonitoringReport.objects.select_related("municipality", "requested_by"),
        report_id,
        build_pdf=_build_pdf,
        file_name=lambda report: (
            f"monitoringbericht-{report.municipality.slug}-{report.period}-{report.pk}.pdf"
        ),
        failure_message=_(
            "Der Bericht konnte nicht erstellt werden. Bitte fordern Sie ihn erneut an; "
            "wenn der Fehler bleibt, wenden Sie sich an die Programmverwaltung."
        ),
    )


def _build_pdf(report: MonitoringReport, progress: Progress) -> bytes:
    pdf = render_pdf("monitoring/reports/report.pdf.html", build_context(report, progress))
    progress(95)
    return pdf


# --- content -----------------------------------------------------------------------------------


def strict(row):
    """The row as someone without raw rights sees it (the report's rule, see module doc)."""
    if row.raw and row.would_be_suppressed and not row.suppressed:
        return replace(row, numerator=None, value=None, suppressed=True, raw=False)
    if row.raw:
        return replace(row, raw=False)
    return row


@dataclass
class IndicatorSection:
    indicator: Indicator
    total: object = None  # the municipality's row in the report year
    previous_total: object = None
    chart_svg: str = ""
    chart_description: str = ""


@dataclass
class AreaProfile:
    sozialraum: object
    lines: list = field(default_factory=list)  # (indicator section, row)


def build_context(report: MonitoringReport, progress=lambda percent: None) -> dict:
    municipality = report.municipality
    user = report.requested_by
    state_office = report.audience == ReportAudience.STATE_OFFICE
    # The state office's charts are time series; the municipality's compare Sozialräume in the
    # report year, so besides it only the previous year (for the overview) is read.
    first = report.period - (HISTORY_YEARS - 1 if state_office else 1)
    periods = range(first, report.period + 1)
    rows = [
        strict(row)
        for row in selectors.observation_table(
            user=user,
            municipality=municipality,
            periods=periods,
            sozialraeume=[] if state_office else None,
        )
    ]
    progress(10)
    by_indicator: dict[int, list] = {}
    for row in rows:
        by_indicator.setdefault(row.indicator.pk, []).append(row)
    sections = []
    for indicator_rows in by_indicator.values():
        current = [r for r in indicator_rows if r.period == report.period]
        if not current:
            continue
        section = IndicatorSection(indicator=current[0].indicator)
        for row in indicator_rows:
            if row.sozialraum is None and row.period == report.period:
                section.total = row
            elif row.sozialraum is None and row.period == report.period - 1:
                section.previous_total = row
        sections.append(section)

    profiles: dict[int, AreaProfile] = {}
    for done, section in enumerate(sections, start=1):
        indicator_rows = by_indicator[section.indicator.pk]
        current = [r for r in indicator_rows if r.period == report.period]
        if state_office:
            totals = [r for r in indicator_rows if r.sozialraum is None]
            spec = charts.time_series(
                totals, indicator=section.indicator, municipality_name=municipality.short_name
            )
            section.chart_description = _description_of_series(totals, section.indicator)
        else:
            spec = charts.ranking(current, indicator=section.indicator, period=report.period)
            section.chart_description = charts.describe(
                current, indicator=section.indicator, period=report.period
            )
            for row in current:
                if row.sozialraum is not None:
                    profile = profiles.setdefault(row.sozialraum.pk, AreaProfile(row.sozialraum))
                    profile.lines.append((section, row))
        # The SVG comes from vl-convert, not from user input; labels in it are escaped there.
        section.chart_svg = mark_safe(_strip_xml_declaration(charts.to_svg(spec)))  # noqa: S308
        progress(10 + 75 * done // len(sections))
    return {
        "report": report,
        "municipality": municipality,
        "state_office": state_office,
        "sections": sections,
        "profiles": sorted(profiles.values(), key=lambda p: p.sozialraum.code),
        "generated_at": timezone.now(),
    }


def _description_of_series(rows, indicator) -> str:
    shown = [r for r in rows if not r.suppressed and r.value is not None]
    if not shown:
        return _("Für keinen Zeitpunkt wird ein Wert gezeigt.")
    years = ", ".join(str(r.period) for r in sorted(shown, key=lambda r: r.period))
    return _("Werte der Kommune für %(years)s.") % {"years": years}


def _strip_xml_declaration(svg: str) -> str:
    # Inline SVG in HTML must not carry an XML declaration.
    return svg.split("?>", 1)[1] if svg.lstrip().startswith("<?xml") else svg
