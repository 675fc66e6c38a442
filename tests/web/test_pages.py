"""Municipality detail, home and about pages, language switch, accessibility basics."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, PopulationFigureFactory

pytestmark = pytest.mark.django_db


def detail(client, slug):
    return client.get(reverse("municipality_detail", args=[slug]))


def test_kreis_detail_lists_its_gemeinden_and_population(client, world):
    response = detail(client, "kreis-musterland")
    content = response.content.decode()
    assert "Kreis Musterland" in content
    assert world["kreis"].ags in content
    assert "Arnsberg" in content
    assert reverse("municipality_detail", args=["musterdorf"]) in content
    assert reverse("municipality_detail", args=["beispielstadt"]) in content
    assert "300.000" in content
    assert "50.000" in content
    assert "Jahrgang 2012" in content


def test_gemeinde_detail_links_its_kreis_and_says_it_is_covered(client, world):
    content = detail(client, "musterdorf").content.decode()
    assert reverse("municipality_detail", args=["kreis-musterland"]) in content
    assert "Über die Teilnahme des Kreises Kreis Musterland" in content
    # No under-18 figure for a single Gemeinde: said so, not shown as 0.
    assert "nicht bekannt" in content
    assert "20.000" in content


def test_population_series_is_newest_first(client, world):
    PopulationFigureFactory(
        municipality=world["grossstadt"], reference_date=date(2017, 12, 31), total=1_200_000
    )
    figures = detail(client, "grossstadt").context["page"].population
    assert [f.reference_date for f in figures] == [date(2020, 12, 31), date(2017, 12, 31)]


def test_detail_page_queries_are_bounded(client, personas, world, django_assert_max_num_queries):
    MembershipFactory.create_batch(20, municipality=world["kreis"], role="municipal_viewer")
    client.force_login(personas.reviewer)
    with django_assert_max_num_queries(14):
        response = detail(client, "kreis-musterland")
    assert len(response.context["page"].members) == 20


def test_home_shows_the_programme_summary(client, world):
    content = client.get(reverse("home")).content.decode()
    assert "Kein Kind zurücklassen!" in content
    assert reverse("programme_detail", args=["kekiz"]) in content
    # Three participants today: Kreis Musterland (2012), Großstadt and Kleinstadt (2017).
    assert "teilnehmende Kommunen heute" in content
    assert "aus dem Jahrgang 2012" in content


def test_home_without_programme_has_no_dead_link(client, db):
    content = client.get(reverse("home")).content.decode()
    assert "/programme/" not in content


def test_about_lists_the_sources_and_the_licence(client, db):
    content = client.get(reverse("about")).content.decode()
    for text in [
        "12411-0018",
        "GV-ISys",
        "§ 4 der Gemeindeordnung",
        "VG5000",
        "© GeoBasis-DE / BKG 2021",
        "Mitteilung 218/2012",
        "Datenlizenz Deutschland – Namensnennung – 2.0",
    ]:
        assert text in content, text


def test_footer_carries_the_attribution(client, db):
    content = client.get(reverse("home")).content.decode()
    assert "© Statistisches Bundesamt (Destatis)" in content
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in content
    assert reverse("about") in content


def test_every_page_has_a_skip_link_and_one_main(client, world):
    for url in ["/", "/kommunen/", "/programme/kekiz/", "/ueber/", "/konto/login/"]:
        content = client.get(url).content.decode()
        assert 'href="#inhalt"' in content, url
        assert content.count('<main id="inhalt"') == 1, url
        assert content.count("<h1") == 1, url


def test_language_switch_to_english(client, world):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/kommunen/"}, follow=True
    )
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Municipalities in North Rhine-Westphalia" in content
    assert "7 municipalities found" in content
    # Numbers follow the language too.
    assert "1,234,567" in content


def test_login_page_is_styled_and_offers_password_reset(client, db):
    content = client.get(reverse("account_login")).content.decode()
    assert 'class="kern-form-input__input' in content
    assert reverse("account_reset_password") in content
    # Accounts are given by the programme administration: no sign-up link.
    assert reverse("account_signup") not in content


def test_login_errors_are_linked_to_the_fields(client, personas):
    response = client.post(
        reverse("account_login"), {"login": "koordination.a@example.org", "password": "falsch"}
    )
    content = response.content.decode()
    assert 'class="kern-alert kern-alert--danger"' in content
