"""The programme page: phases, coverage figures for a Stichtag, the map and its data table."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities import maps
from municipalities.coverage import Bounds, Coverage, Share
from tests.factories import ParticipationFactory, PopulationFigureFactory
from tests.web.conftest import square

pytestmark = pytest.mark.django_db

URL = reverse("programme_detail", args=["kekiz"])


def test_shows_phases_participants_and_figures(client, world):
    response = client.get(URL, {"datum": "2020-12-31"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Modellvorhaben" in content
    assert "Landesinitiative" in content
    assert "Stand: 31.12.2020." in content
    # The participants table lists each with kind, cohort and Regierungsbezirk.
    participants = [p.municipality.short_name for p in response.context["participations"]]
    assert participants == ["Kreis Musterland", "Großstadt", "Kleinstadt"]
    assert reverse("municipality_detail", args=["kleinstadt"]) in content
    assert "kreisangehörige Stadt" in content


def test_figures_are_formatted_in_german(client, world):
    content = client.get(URL, {"datum": "2020-12-31"}).content.decode()
    coverage = client.get(URL, {"datum": "2020-12-31"}).context["coverage"]
    # Kreis Musterland (300.000) + Großstadt (1.234.567) + Kleinstadt (50.000).
    assert coverage.population.lower == 1_584_567
    assert "1.584.567" in content
    # 1 of 2 kreisfreie Städte.
    assert "50,0\u00a0%" in content


def test_a_range_is_shown_with_its_bounds_the_estimate_and_why(client, world):
    response = client.get(URL, {"datum": "2020-12-31"})
    coverage = response.context["coverage"]
    assert not coverage.population_under_18.is_exact
    content = response.content.decode()
    lower = f"{coverage.population_under_18.lower:,}".replace(",", ".")
    upper = f"{coverage.population_under_18.upper:,}".replace(",", ".")
    assert f"zwischen {lower} und {upper}" in content
    assert "Schätzung" in content
    assert "So sind die Zahlen zu lesen" in content
    for note in coverage.notes:
        assert note in response.content.decode()


def test_exact_figures_need_no_range(client, programme):
    stadt = ParticipationFactory(programme=programme, cohort=2017).municipality
    PopulationFigureFactory(municipality=stadt, total=1000, under_18=200)
    content = client.get(URL, {"datum": "2020-12-31"}).content.decode()
    assert "zwischen" not in content
    assert "Schätzung" not in content


def test_without_a_date_the_figures_are_for_today(client, world):
    response = client.get(URL)
    assert response.context["reference_date"] == timezone.localdate()
    assert "Stand: heute" in response.content.decode()


def test_german_date_input_is_understood(client, world):
    assert client.get(URL, {"datum": "31.12.2016"}).context["reference_date"] == date(2016, 12, 31)


def test_participants_follow_the_date(client, world):
    response = client.get(URL, {"datum": "2014-06-30"})
    assert [p.municipality.short_name for p in response.context["participations"]] == [
        "Kreis Musterland"
    ]
    none = client.get(URL, {"datum": "2011-01-01"})
    assert none.context["participations"] == []
    assert "An diesem Stichtag nahm keine Kommune teil." in none.content.decode()


@pytest.mark.parametrize("value", ["gestern", "2020-02-30", "31.02.2020", "1800-01-01", "9999-1-1"])
def test_invalid_date_is_a_clear_german_error(client, world, value):
    response = client.get(URL, {"datum": value})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Der Stichtag konnte nicht gelesen werden" in content
    assert 'aria-invalid="true"' in content
    # The page still works: the figures for today are shown.
    assert response.context["reference_date"] == timezone.localdate()


def test_map_is_an_accessible_svg_with_the_participants(client, world):
    response = client.get(URL, {"datum": "2020-12-31"})
    svg = response.context["map"].svg
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="karte-titel karte-beschreibung"' in svg
    assert '<title id="karte-titel">Karte: Teilnehmende am Programm KeKiz' in svg
    # Vega's own roles are gone: inside one image they would be unnamed images themselves.
    assert "graphics-symbol" not in svg
    # Kreis-level participants are areas, kreisangehörige ones labelled points.
    assert "Kleinstadt" in svg
    assert "2 Kreise und kreisfreie Städte sind eingefärbt" in response.context["map"].description
    assert "1 kreisangehörige Stadt oder Gemeinde" in response.context["map"].description
    assert 'href="#teilnehmende"' in response.content.decode()


def test_map_is_cached_and_redrawn_when_the_data_change(client, world):
    with mock.patch.object(maps, "_draw", wraps=maps._draw) as draw:
        client.get(URL, {"datum": "2020-12-31"})
        client.get(URL, {"datum": "2020-12-31"})
        assert draw.call_count == 1
        ParticipationFactory(
            programme=world["programme"], municipality=world["ruhigstadt"], cohort=2017
        )
        client.get(URL, {"datum": "2020-12-31"})
        assert draw.call_count == 2
        client.get(URL, {"datum": "2019-12-31"})
        assert draw.call_count == 3
        # A new boundary (a reference data release) also draws anew.
        kreis = world["kreis"]
        kreis.boundary = square(7.4, 51.1)
        kreis.save()
        client.get(URL, {"datum": "2019-12-31"})
        assert draw.call_count == 4


# Session, navigation, programme + phases, participants, coverage (3), map fingerprint.
PROGRAMME_QUERIES = 9


@pytest.mark.parametrize("count", [3, 30])
def test_programme_page_queries_do_not_grow_with_participants(
    client, programme, django_assert_max_num_queries, count
):
    for _ in range(count):
        stadt = ParticipationFactory(programme=programme).municipality
        PopulationFigureFactory(municipality=stadt)
    client.get(URL, {"datum": "2020-12-31"})  # draw the map once; then only the cache is read
    with django_assert_max_num_queries(PROGRAMME_QUERIES):
        response = client.get(URL, {"datum": "2020-12-31"})
    assert len(response.context["participations"]) == count


def test_coverage_display_uses_the_coverage_interface(client, world):
    fake = Coverage(
        programme_slug="kekiz",
        reference_date=date(2020, 12, 31),
        participants=40,
        kreisfreie_staedte=Share(17, 22),
        kreise=Share(11, 31),
        gemeinden=Share(165, 396),
        population=Bounds(10_408_510, 10_408_510),
        population_total=17_912_134,
        population_date=date(2017, 12, 31),
        population_under_18=Bounds(1_563_912, 2_025_209, 1_716_676),
        population_under_18_total=2_987_834,
        population_under_18_date=date(2017, 12, 31),
        notes=("Ein Hinweis.",),
    )
    with mock.patch("municipalities.coverage.compute_coverage", return_value=fake):
        content = client.get(URL, {"datum": "2020-12-31"}).content.decode()
    assert "10.408.510" in content
    assert "58,1\u00a0% von 17.912.134" in content
    assert "77,3\u00a0%" in content
    assert "zwischen 1.563.912 und 2.025.209" in content
    assert "zwischen 52,3\u00a0% und 67,8\u00a0% von 2.987.834" in content
    assert "rund 1.716.676 (57,5\u00a0%)" in content
    assert "Bevölkerungsstand 31.12.2017" in content
    assert "Ein Hinweis." in content
