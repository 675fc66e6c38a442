"""The reports page in Chromium with axe-core: request a report, see it finished, download it;
zero WCAG 2.1 A/AA violations, also with a rendering report (progress bar) and a form error.
Runs like tests/browser (skipped without Chromium and axe-core)."""

import json
from decimal import Decimal

import pytest

from accounts.models import DocumentStatus
from monitoring.models import MonitoringReport
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories import PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory
from tests.factories_monitoring import (
    IndicatorFactory,
    MonitoringReportFactory,
    ObservationFactory,
    SozialraumFactory,
)

pytestmark = pytest.mark.browser


def test_reports_page_has_no_axe_violations(live_server, transactional_db, browser_page):  # noqa: F811
    municipality = MunicipalityFactory(short_name="Musterstadt", slug="musterstadt")
    user = MembershipFactory(
        municipality=municipality, role="coordinator", user=UserFactory(email="k@muster.example")
    ).user
    indicator = IndicatorFactory(code="SGB2", name="SGB-II-Quote")
    for code, numerator in [("1", 40), ("2", 55)]:
        area = SozialraumFactory(municipality=municipality, code=code, name=f"Bezirk {code}")
        ObservationFactory(
            indicator=indicator, sozialraum=area, period=2023, numerator=Decimal(numerator)
        )
    # An older request still being rendered: its row polls and shows a progress bar.
    MonitoringReportFactory(
        municipality=municipality,
        period=2022,
        requested_by=user,
        status=DocumentStatus.RENDERING,
        progress=30,
    )
    page = browser_page
    found: dict[str, list] = {}
    base = live_server.url
    page.goto(f"{base}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start/")

    page.goto(f"{base}/monitoring/musterstadt/berichte/")
    _check(page, "reports_rendering", found)

    # Without a broker the task runs in-process once the request has committed.
    page.get_by_label("Berichtsjahr").select_option("2023")
    page.get_by_role("button", name="Bericht anfordern").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("wird erstellt").first.is_visible()
    done = MonitoringReport.objects.get(status=DocumentStatus.DONE)
    link = page.get_by_role("link", name="PDF herunterladen")
    assert link.count() == 1
    _check(page, "reports_done", found)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Monitoringbericht-musterstadt-2023.pdf"
    assert done.file

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
