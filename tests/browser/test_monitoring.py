"""Monitoring in a real browser: a coordinator signs in, uploads a file of values (one row is
broken), sees the preview and the error, imports the valid rows, then opens the overview, the
comparison of the Sozialräume and the time series, and finds the charts drawn by vega-embed
(an SVG inside each chart element) and the map; axe-core finds no WCAG 2.1 A/AA violation."""

from decimal import Decimal

import pytest

from monitoring.models import Direction
from municipalities.models import SozialraumLevel
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories import PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory

pytestmark = pytest.mark.browser


def _square(column: int, row: int) -> dict:
    x, y = 7.4 + column * 0.01, 51.5 + row * 0.01
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _world():
    municipality = MunicipalityFactory(short_name="Musterstadt", slug="musterstadt")
    coordinator = MembershipFactory(
        municipality=municipality,
        role="coordinator",
        user=UserFactory(email="koordination@musterstadt.example", full_name="Kim Koordination"),
    ).user
    district = SozialraumFactory(
        municipality=municipality, code="1", name="Nord", level=SozialraumLevel.STADTBEZIRK
    )
    areas = [
        SozialraumFactory(
            municipality=municipality,
            parent=district,
            code=f"1.{n}",
            name=f"Viertel {n}",
            boundary=_square(n % 3, n // 3),
        )
        for n in range(6)
    ]
    indicator = IndicatorFactory(
        code="SGB2_U15", name="SGB-II-Quote unter 15", direction=Direction.LOWER_IS_BETTER
    )
    for year in (2022,):
        for n, area in enumerate(areas):
            ObservationFactory(
                indicator=indicator,
                sozialraum=area,
                period=year,
                numerator=Decimal(2 if n == 0 else 10 * n + year - 2020),
                denominator=Decimal(200),
            )
    return municipality, coordinator, indicator


def _upload_file() -> bytes:
    """What a statistics office delivers: a title line, `;`, decimal commas; 2023 for the six
    Viertel, plus a row for a Sozialraum that does not exist."""
    lines = ["Kinder in SGB-II-Bedarfsgemeinschaften, Stand 31.12.2023", ""]
    lines.append("Indikator;Sozialraum;Jahr;Zähler;Nenner")
    for n in range(6):
        lines.append(f"SGB2_U15;1.{n};2023;{2 if n == 0 else 10 * n + 3};200")
    lines.append("SGB2_U15;9.9;2023;12;200")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_coordinator_finds_charts_and_map(live_server, transactional_db, browser_page):  # noqa: F811
    municipality, coordinator, indicator = _world()
    page = browser_page
    found: dict[str, list] = {}

    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(coordinator.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server.url}/start/")

    page.goto(f"{live_server.url}/monitoring/{municipality.slug}/importe/neu/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        {"name": "sgb2_2023.csv", "mimeType": "text/csv", "buffer": _upload_file()}
    )
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.get_by_role("heading", name="Vorschau: das würde sich ändern").wait_for()
    assert page.get_by_text("1 Zeile ist fehlerhaft").is_visible()
    assert page.get_by_text("Unbekannter Sozialraum „9.9“").is_visible()
    _check(page, "monitoring_import_preview", found)
    page.get_by_label("Ja, nur die gültigen Zeilen importieren").check()
    page.get_by_role("button", name="6 gültige Zeilen importieren").click()
    page.get_by_role("heading", name="Ergebnis").wait_for()
    # The imported year is the newest, so the analysis pages open on it.

    page.get_by_role("navigation").get_by_role("link", name="Monitoring").first.click()
    page.wait_for_url(f"**/monitoring/{municipality.slug}/analyse/")
    assert page.get_by_role("link", name=indicator.name, exact=True).is_visible()
    _check(page, "monitoring_overview", found)

    page.get_by_role("link", name="Sozialräume und Karte").first.click()
    page.wait_for_url("**/sozialraeume/?jahr=2023")
    page.locator("#grafik-rangfolge[data-rendered=true] svg").wait_for()
    page.locator("#grafik-karte[data-rendered=true] svg").wait_for()
    # The map draws one shape per Sozialraum.
    assert page.locator("#grafik-karte svg .mark-shape path").count() == 6
    _check(page, "monitoring_comparison", found)

    page.get_by_label("Ihr Kommentar").fill("Neue Kita im Viertel 3.")
    page.get_by_role("button", name="Kommentar speichern").click()
    page.wait_for_url("**#kommentare")
    assert page.get_by_text("Neue Kita im Viertel 3.").is_visible()

    page.get_by_role("link", name="Zeitreihe").first.click()
    page.locator("#grafik-zeitreihe[data-rendered=true] svg").wait_for()
    _check(page, "monitoring_series", found)

    page.goto(f"{live_server.url}/monitoring/{municipality.slug}/analyse/bedarfsindex/neu/")
    _check(page, "monitoring_need_index_form", found)
    page.get_by_label("Name").fill("Kinderarmut")
    page.get_by_label(indicator.name).fill("1")
    page.get_by_role("button", name="Speichern").click()
    page.locator("#grafik-index[data-rendered=true] svg").wait_for()
    _check(page, "monitoring_need_index", found)

    assert found == {}, found
