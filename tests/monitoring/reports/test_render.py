"""Rendering a monitoring report: content, disclosure, progress, idempotence."""

import io
import re

import pytest
from pypdf import PdfReader

from accounts import documents as shared_documents
from accounts.models import DocumentStatus
from monitoring.models import MonitoringReport, ReportAudience
from monitoring.reports import services
from monitoring.reports.tasks import render_report_task
from tests.factories_monitoring import MonitoringReportFactory

pytestmark = pytest.mark.django_db


def pdf_text(report) -> str:
    report.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(report.file.read()))
    finally:
        report.file.close()
    # Text extraction may break words at line ends; compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def render(report) -> MonitoringReport:
    assert render_report_task.delay(report.pk).get() is True
    report.refresh_from_db()
    return report


def test_coordinators_report_is_suppressed_like_everyone_elses(personas, mworld):
    report = render(
        MonitoringReportFactory(
            municipality=personas.municipality_a, period=2022, requested_by=personas.coordinator_a
        )
    )
    assert report.status == DocumentStatus.DONE
    assert report.progress == 100
    assert report.finished_at is not None
    text = pdf_text(report)
    assert "KommuneA,Stadt" in text
    assert "Monitoringbericht2022" in text
    profiles = dict(re.findall(r"Sozialraum0(\d\w+?)Indikator(.*?)Seite", text))
    assert set(profiles) == {"1Nord", "2Mitte", "3Süd"}
    # Süd 55/500 = 11.0 % is shown, in the German number format, beside the municipality's
    # 97/940 = 10.3 %.
    assert "SGB-II-Quote11,010,3%" in profiles["3Süd"]
    # Nord 2/40 = 5.0 % (below k) and Mitte 40/400 = 10.0 % (secondary) are not, although
    # the requesting coordinator may see them in the portal.
    assert "SGB-II-Quote.10,3%" in profiles["1Nord"]
    assert "SGB-II-Quote.10,3%" in profiles["2Mitte"]
    assert not re.search(r"(?<![0-9])5,0", text)
    # Mitte's 10.0 % only as the municipality's value of 2021 (60/600) in the overview.
    assert text.count("10,0") == 1
    assert "SGB-II-Quote10,310,0%" in text
    assert "MetadatenderverwendetenIndikatoren" in text
    assert "SGB-II-Quote(SGB2)" in text
    assert "Kita-Besuchsquote(KITA)" in text
    assert "Mindestfallzahlk" in text


def test_state_office_report_has_municipality_values_only(personas, mworld):
    report = render(
        MonitoringReportFactory(
            municipality=personas.municipality_a,
            period=2022,
            requested_by=personas.reviewer,
            audience=ReportAudience.STATE_OFFICE,
        )
    )
    text = pdf_text(report)
    assert "10,3" in text  # 97 / 940 of the whole municipality
    assert "Nord" not in text
    assert "Sozialraum01" not in text


def test_running_twice_renders_once(personas, mworld, monkeypatch):
    calls = []
    original = services.render_pdf
    monkeypatch.setattr(
        services, "render_pdf", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    report = MonitoringReportFactory(
        municipality=personas.municipality_a, period=2022, requested_by=personas.viewer_a
    )
    assert services.render_report(report_id=report.pk) is True
    assert services.render_report(report_id=report.pk) is False
    assert len(calls) == 1
    report.refresh_from_db()
    assert report.status == DocumentStatus.DONE


def test_a_report_being_rendered_is_not_taken_again(personas, mworld):
    report = MonitoringReportFactory(
        municipality=personas.municipality_a,
        period=2022,
        requested_by=personas.viewer_a,
        status=DocumentStatus.RENDERING,
    )
    assert services.render_report(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == DocumentStatus.RENDERING
    assert not report.file


def test_progress_is_reported_on_the_way(personas, mworld, monkeypatch):
    seen = []
    original = shared_documents.save_progress

    def spy(report, percent):
        seen.append(MonitoringReport.objects.get(pk=report.pk).progress)
        original(report, percent)
        seen.append(MonitoringReport.objects.get(pk=report.pk).progress)

    monkeypatch.setattr(shared_documents, "save_progress", spy)
    report = render(
        MonitoringReportFactory(
            municipality=personas.municipality_a, period=2022, requested_by=personas.viewer_a
        )
    )
    assert seen == sorted(seen)
    assert 10 in seen
    assert 95 in seen
    assert report.progress == 100


def test_a_failure_is_recorded_with_a_german_message(personas, mworld, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(services, "render_pdf", broken)
    report = MonitoringReportFactory(
        municipality=personas.municipality_a, period=2022, requested_by=personas.viewer_a
    )
    assert services.render_report(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == DocumentStatus.FAILED
    assert "erneut an" in report.error
    assert not report.file
