"""The municipality directory: search, filters, pagination, htmx, CSV, and its query count."""

import csv
import io

import pytest
from django.urls import reverse

from municipalities.models import MunicipalityKind, Regierungsbezirk
from tests.factories import (
    GemeindeFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

URL = "/kommunen/"


def names(response) -> list[str]:
    return [m.short_name for m in response.context["page"].object_list]


def test_lists_all_municipalities_with_count(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == sorted(m.short_name for m in world.values() if hasattr(m, "ags"))
    assert "7 Kommunen gefunden" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stadt", ["Beispielstadt", "Großstadt", "Kleinstadt", "Ruhigstadt"]),
        ("GROSS", ["Großstadt"]),
        ("grossstadt", ["Großstadt"]),
        ("  Musterdorf ", ["Musterdorf"]),
    ],
)
def test_search_by_name_or_ags(client, world, query, expected):
    assert names(client.get(URL, {"q": query})) == expected


def test_search_by_ags(client, world):
    kreis_ags = world["kreis"].ags
    assert names(client.get(URL, {"q": kreis_ags})) == [
        "Beispielstadt",
        "Kreis Musterland",
        "Musterdorf",
    ]
    assert names(client.get(URL, {"q": world["kleinstadt"].ags})) == ["Kleinstadt"]


def test_filter_by_kind(client, world):
    assert names(client.get(URL, {"art": MunicipalityKind.KREIS})) == [
        "Kreis Anderland",
        "Kreis Musterland",
    ]


def test_filter_by_regierungsbezirk(client, world):
    assert names(client.get(URL, {"bezirk": Regierungsbezirk.DUESSELDORF})) == [
        "Großstadt",
        "Ruhigstadt",
    ]


def test_filter_by_cohort(client, world):
    assert names(client.get(URL, {"jahrgang": "2017"})) == ["Großstadt", "Kleinstadt"]
    assert names(client.get(URL, {"jahrgang": "2012"})) == ["Kreis Musterland"]


def test_filter_participants_only(client, world):
    assert names(client.get(URL, {"teilnehmend": "on"})) == [
        "Großstadt",
        "Kleinstadt",
        "Kreis Musterland",
    ]


def test_filters_combine(client, world):
    response = client.get(URL, {"teilnehmend": "on", "bezirk": Regierungsbezirk.ARNSBERG})
    assert names(response) == ["Kleinstadt", "Kreis Musterland"]


def test_a_municipality_in_two_programmes_is_listed_once(client, world):
    other = ProgrammeFactory(slug="kinderstark", name="kinderstark", short_name="kinderstark")
    ParticipationFactory(programme=other, municipality=world["grossstadt"], cohort=2017)
    response = client.get(URL, {"jahrgang": "2017"})
    assert names(response) == ["Großstadt", "Kleinstadt"]
    assert "kinderstark 2017" in response.content.decode()


def test_bad_filter_value_is_reported_not_crashing(client, world):
    response = client.get(URL, {"art": "burg", "jahrgang": "zwanzig", "q": "stadt"})
    assert response.status_code == 200
    assert "Ein Filter hat einen ungültigen Wert" in response.content.decode()
    # The valid part of the request still applies.
    assert names(response) == ["Beispielstadt", "Großstadt", "Kleinstadt", "Ruhigstadt"]


def test_empty_result_explains_what_to_do(client, world):
    response = client.get(URL, {"q": "Atlantis"})
    content = response.content.decode()
    assert "0 Kommunen gefunden" in content
    assert "Keine Kommune passt zu dieser Suche" in content
    assert "<table" not in content


def test_rows_show_population_parent_and_participation(client, world):
    content = client.get(URL, {"q": "Kleinstadt"}).content.decode()
    assert "50.000" in content
    assert reverse("municipality_detail", args=["kreis-anderland"]) in content
    assert "KeKiz 2017" in content


def test_unknown_population_is_said_so(client, world):
    MunicipalityFactory(short_name="Ohnezahl", slug="ohnezahl")
    content = client.get(URL, {"q": "Ohnezahl"}).content.decode()
    assert "nicht bekannt" in content


@pytest.fixture
def many(db):
    programme = ProgrammeFactory()
    kreis = MunicipalityFactory(
        short_name="Kreis Viele", slug="kreis-viele", kind=MunicipalityKind.KREIS
    )
    for n in range(120):
        gemeinde = GemeindeFactory(
            ags=f"{kreis.ags}{n + 1:03d}",
            short_name=f"Gemeinde {n:03d}",
            slug=f"gemeinde-{n:03d}",
            parent=kreis,
        )
        if n % 2:
            ParticipationFactory(programme=programme, municipality=gemeinde, cohort=2017)
    return kreis


def test_pagination_50_per_page_keeps_filters(client, many):
    response = client.get(URL, {"teilnehmend": "on", "q": "Gemeinde"})
    page = response.context["page"]
    assert page.paginator.count == 60
    assert len(page.object_list) == 50
    content = response.content.decode()
    assert "Seite 1 von 2" in content
    assert 'href="?teilnehmend=on&amp;q=Gemeinde&amp;seite=2"' in content

    second = client.get(URL, {"teilnehmend": "on", "q": "Gemeinde", "seite": "2"})
    assert len(second.context["page"].object_list) == 10
    assert 'href="?teilnehmend=on&amp;q=Gemeinde&amp;seite=1"' in second.content.decode()


def test_pagination_tolerates_bad_page_numbers(client, many):
    assert client.get(URL, {"seite": "999"}).context["page"].number == 3
    assert client.get(URL, {"seite": "x"}).context["page"].number == 1


def test_htmx_request_gets_only_the_results(client, world):
    response = client.get(URL, {"q": "stadt"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert "<table" in content
    # The count is updated out of band in the live region outside the swapped part.
    assert 'id="ergebnis-anzahl" hx-swap-oob="innerHTML"' in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, world):
    response = client.get(
        URL, {"q": "stadt"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_filter_form_works_with_and_without_javascript(client, world):
    content = client.get(URL).content.decode()
    assert 'method="get" action="/kommunen/"' in content
    assert 'hx-get="/kommunen/"' in content
    assert 'hx-push-url="true"' in content


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_of_the_filtered_list(client, world):
    response = client.get(reverse("municipality_list_csv"), {"teilnehmend": "on", "seite": "2"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["AGS", "Name", "amtlicher Name"]
    assert [row[1] for row in rows[1:]] == ["Großstadt", "Kleinstadt", "Kreis Musterland"]
    grossstadt = rows[1]
    assert grossstadt[0] == world["grossstadt"].ags
    assert grossstadt[6] == "1234567"
    assert grossstadt[7] == "2020-12-31"
    assert grossstadt[8] == "KeKiz 2017"


def test_csv_export_is_not_paginated(client, many):
    rows = _csv_rows(client.get(reverse("municipality_list_csv")))
    assert len(rows) == 1 + 121


def test_csv_cells_cannot_start_a_formula(client, db):
    MunicipalityFactory(short_name="=HYPERLINK(1)", name="-1+1", slug="formel")
    rows = _csv_rows(client.get(reverse("municipality_list_csv")))
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][2] == "'-1+1"


def test_page_links_to_the_csv_of_the_same_selection(client, world):
    content = client.get(URL, {"q": "stadt", "seite": "1"}).content.decode()
    assert 'href="/kommunen/export.csv?q=stadt"' in content


def _build_directory(count: int):
    programme = ProgrammeFactory()
    kreis = MunicipalityFactory(kind=MunicipalityKind.KREIS)
    PopulationFigureFactory(municipality=kreis)
    for _ in range(count):
        gemeinde = GemeindeFactory(parent=kreis)
        PopulationFigureFactory(municipality=gemeinde)
        ParticipationFactory(programme=programme, municipality=gemeinde)


# Session, user, state roles; cohorts, count, page, participations; navigation: programme,
# memberships, the slug of "Meine Kommune".
DIRECTORY_QUERIES = 10


@pytest.mark.parametrize("count", [3, 30])
def test_directory_queries_do_not_grow_with_rows(
    client, personas, django_assert_max_num_queries, count
):
    _build_directory(count)
    client.force_login(personas.coordinator_a)
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = client.get(URL, {"teilnehmend": "on"})
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [3, 30])
def test_csv_queries_do_not_grow_with_rows(client, db, django_assert_max_num_queries, count):
    _build_directory(count)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("municipality_list_csv"))
    assert len(_csv_rows(response)) == 1 + count + 1
