"""The reports page: who sees it, requesting (enqueued on commit), polling, download rights."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import DocumentStatus
from monitoring.models import MonitoringReport, ReportAudience
from tests.factories_monitoring import MonitoringReportFactory

pytestmark = pytest.mark.django_db


def list_url(personas):
    return reverse("monitoring:report_list", args=[personas.municipality_a.slug])


def download_url(report):
    return reverse("monitoring:report_download", args=[report.municipality.slug, report.pk])


@pytest.fixture
def done_reports(personas, mworld):
    """A finished municipality report and a finished state-office report of 2022 (their
    files stand in for rendered PDFs; test_render.py renders real ones)."""
    reports = []
    for requester, audience in [
        (personas.viewer_a, ReportAudience.MUNICIPALITY),
        (personas.reviewer, ReportAudience.STATE_OFFICE),
    ]:
        report = MonitoringReportFactory(
            municipality=personas.municipality_a,
            period=2022,
            requested_by=requester,
            audience=audience,
            status=DocumentStatus.DONE,
            progress=100,
        )
        report.file.save(f"bericht-{report.pk}.pdf", ContentFile(b"%PDF-1.7 Probe"))
        reports.append(report)
    return reports


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin"]
)
def test_members_and_state_office_open_the_page(client, personas, mworld, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(list_url(personas))
    assert response.status_code == 200
    assert "Bericht anfordern" in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_others_get_404(client, personas, mworld, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(list_url(personas)).status_code == 404


def test_anonymous_is_sent_to_login(client, personas, mworld):
    response = client.get(list_url(personas))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def year_options(response) -> list[str]:
    return [str(p) for p in response.context["periods"]]


def test_years_on_offer(client, personas, mworld):
    client.force_login(personas.viewer_a)
    assert year_options(client.get(list_url(personas))) == ["2022", "2021"]
    client.force_login(personas.reviewer)
    assert year_options(client.get(list_url(personas))) == ["2022"]


def test_member_requests_a_report_which_is_rendered_after_commit(
    client, personas, mworld, django_capture_on_commit_callbacks
):
    client.force_login(personas.viewer_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(list_url(personas), {"period": "2021"})
    assert response.status_code == 302
    report = MonitoringReport.objects.get()
    # Nothing is rendered before the request's transaction commits.
    assert (report.status, report.period, report.audience) == (
        DocumentStatus.QUEUED,
        2021,
        ReportAudience.MUNICIPALITY,
    )
    assert len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == DocumentStatus.DONE
    assert report.requested_by == personas.viewer_a
    page = client.get(list_url(personas)).content.decode()
    assert download_url(report) in page


def test_a_double_click_is_one_report(client, personas, mworld, django_capture_on_commit_callbacks):
    client.force_login(personas.coordinator_a)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(list_url(personas), {"period": "2022"})
        client.post(list_url(personas), {"period": "2022"})
    assert MonitoringReport.objects.count() == 1


def test_state_office_requests_a_released_year_only(
    client, personas, mworld, django_capture_on_commit_callbacks
):
    client.force_login(personas.reviewer)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(list_url(personas), {"period": "2021"})
    assert response.status_code == 400
    assert "Liste" in response.content.decode()
    assert not MonitoringReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(list_url(personas), {"period": "2022"})
    assert MonitoringReport.objects.get().audience == ReportAudience.STATE_OFFICE


def test_polling_row_while_rendering(client, personas, mworld):
    report = MonitoringReportFactory(
        municipality=personas.municipality_a,
        requested_by=personas.viewer_a,
        status=DocumentStatus.RENDERING,
        progress=40,
    )
    client.force_login(personas.viewer_a)
    url = reverse("monitoring:report_status", args=[personas.municipality_a.slug, report.pk])
    row = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in row
    assert 'value="40"' in row
    MonitoringReport.objects.filter(pk=report.pk).update(status=DocumentStatus.DONE, progress=100)
    row = client.get(url).content.decode()
    assert "hx-trigger" not in row
    client.force_login(personas.coordinator_b)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "municipal", "state"),
    [
        ("coordinator_a", 200, 200),
        ("viewer_a", 200, 200),
        ("companion_a", 200, 200),
        ("reviewer", 404, 200),
        ("state_admin", 404, 200),
        ("coordinator_b", 404, 404),
        ("outsider", 404, 404),
        ("researcher", 404, 404),
    ],
)
def test_download_rights(client, personas, done_reports, persona, municipal, state):
    client.force_login(getattr(personas, persona))
    for report, expected in zip(done_reports, (municipal, state), strict=True):
        response = client.get(download_url(report))
        assert response.status_code == expected, (persona, report.audience)
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
            assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_state_office_loses_access_when_the_release_is_withdrawn(client, personas, done_reports):
    from monitoring.models import DataApproval

    DataApproval.objects.filter(municipality=personas.municipality_a, period=2022).update(
        released_to_state_office=False
    )
    client.force_login(personas.reviewer)
    assert client.get(download_url(done_reports[1])).status_code == 404


def test_download_of_an_unfinished_report_is_404(client, personas, mworld):
    report = MonitoringReportFactory(
        municipality=personas.municipality_a, requested_by=personas.viewer_a
    )
    client.force_login(personas.viewer_a)
    assert client.get(download_url(report)).status_code == 404


def test_anonymous_download_goes_to_login(client, done_reports):
    response = client.get(download_url(done_reports[0]))
    assert response.status_code == 302


def test_list_query_count_does_not_grow(client, personas, mworld, django_assert_max_num_queries):
    client.force_login(personas.viewer_a)
    for count in (1, 15):
        MonitoringReport.objects.all().delete()
        for _ in range(count):
            MonitoringReportFactory(
                municipality=personas.municipality_a, requested_by=personas.coordinator_a
            )
        with django_assert_max_num_queries(10):
            assert client.get(list_url(personas)).status_code == 200
