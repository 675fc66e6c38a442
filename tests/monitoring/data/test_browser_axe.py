"""The monitoring data pages in Chromium with axe-core: zero WCAG 2.1 A/AA violations, also
with form errors shown. Runs like tests/browser (skipped without Chromium and axe-core)."""

import json
from decimal import Decimal

import pytest

from monitoring.catalogue import load_catalogue
from monitoring.models import Indicator, QualityFlag, QualityFlagKind
from monitoring.quality import check_observations
from municipalities.models import SozialraumLevel
from tests.browser.conftest import live_server  # noqa: F401 – ends the server's DB sessions
from tests.browser.test_pages_axe import _check, browser_page  # noqa: F401 – fixture
from tests.factories import PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory
from tests.factories_monitoring import ObservationFactory, SozialraumFactory

pytestmark = pytest.mark.browser


def test_data_pages_have_no_axe_violations(live_server, transactional_db, browser_page, tmp_path):  # noqa: F811
    load_catalogue()
    municipality = MunicipalityFactory(short_name="Musterstadt", slug="musterstadt")
    user = MembershipFactory(
        municipality=municipality, role="coordinator", user=UserFactory(email="k@muster.example")
    ).user
    district = SozialraumFactory(
        municipality=municipality, code="1", name="Mitte", level=SozialraumLevel.STADTBEZIRK
    )
    area = SozialraumFactory(
        municipality=municipality, code="1.1", name="Altstadt", parent=district
    )
    area.population.create(year=2023, age_from=0, age_to=3, count=412)
    indicator = Indicator.objects.get(code="SGB2_U15")
    observation = ObservationFactory(
        indicator=indicator, sozialraum=area, period=2023, numerator=Decimal(90)
    )
    check_observations(observation_ids=[observation.pk])
    QualityFlag.objects.create(
        observation=observation, kind=QualityFlagKind.OUTLIER_PEERS, message="Auffällig hoch"
    )
    page = browser_page
    found: dict[str, list] = {}
    base = live_server.url
    page.goto(f"{base}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start/")

    for name, path in [
        ("catalogue", "/monitoring/indikatoren/?thema=Soziale+Lage"),
        ("indicator", f"/monitoring/indikatoren/{indicator.pk}/"),
        ("areas", "/monitoring/musterstadt/sozialraeume/"),
        ("area", f"/monitoring/sozialraeume/{area.pk}/"),
        ("area_edit", f"/monitoring/sozialraeume/{area.pk}/bearbeiten/"),
        ("area_version", f"/monitoring/sozialraeume/{area.pk}/neue-version/"),
        ("area_population", f"/monitoring/sozialraeume/{area.pk}/bevoelkerung/"),
        ("entry", "/monitoring/musterstadt/werte/"),
        ("flags", "/monitoring/musterstadt/pruefhinweise/"),
        ("approvals", "/monitoring/musterstadt/freigaben/"),
        ("approve", "/monitoring/musterstadt/freigaben/2023/freigeben/"),
        ("local", "/monitoring/musterstadt/indikatoren/"),
    ]:
        page.goto(f"{base}{path}")
        _check(page, name, found)

    # Form errors: a self-intersecting boundary and a numerator above its denominator.
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[8.8, 51.9], [8.9, 52.0], [8.9, 51.9], [8.8, 52.0], [8.8, 51.9]]],
    }
    upload = tmp_path / "grenze.geojson"
    upload.write_text(json.dumps(bowtie))
    page.goto(f"{base}/monitoring/sozialraeume/{area.pk}/grenze/")
    page.get_by_label("Grenze als GeoJSON-Datei").set_input_files(str(upload))
    page.get_by_role("button", name="Prüfen und speichern").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Die Fläche ist ungültig").is_visible()
    _check(page, "boundary_error", found)

    page.goto(f"{base}/monitoring/musterstadt/werte/")
    page.get_by_label("Indikator", exact=True).select_option(str(indicator.pk))
    page.get_by_label("Sozialraum", exact=True).select_option(str(area.pk))
    page.get_by_label("Jahr", exact=True).fill("2022")
    page.get_by_label("Zähler", exact=True).fill("500")
    page.get_by_label("Nenner", exact=True).fill("400")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("ist größer als der Nenner").is_visible()
    _check(page, "entry_error", found)

    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
