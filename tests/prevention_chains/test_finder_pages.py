"""The public offering finder: search without login, filters, empty state, detail page."""

from datetime import date

import pytest
from django.urls import reverse

from prevention_chains.models import OfferingStatus
from tests.factories_chains import (
    ActorFactory,
    FieldOfActionFactory,
    LifePhaseFactory,
    OfferingFactory,
    OfferingLocationFactory,
)
from tests.factories_monitoring import SozialraumFactory

FINDER = reverse("prevention_chains:finder")


def titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


@pytest.fixture
def town(db, personas):
    return personas.municipality_a


def test_anonymous_visitors_see_only_published_offerings(client, town):
    OfferingFactory(municipality=town, title="Babytreff")
    for status in (OfferingStatus.DRAFT, OfferingStatus.PAUSED, OfferingStatus.ENDED):
        OfferingFactory(municipality=town, title=f"Nicht öffentlich {status}", status=status)
    response = client.get(FINDER)
    assert response.status_code == 200
    assert titles(response) == ["Babytreff"]
    assert "1 Angebot gefunden" in response.content.decode()


def test_logged_in_members_of_other_municipalities_see_no_drafts_either(client, personas):
    OfferingFactory(municipality=personas.municipality_a, title="Entwurf", status="draft")
    client.force_login(personas.coordinator_b)
    assert titles(client.get(FINDER)) == []


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (4, ["Ab drei", "Kita-Treff", "Ohne Altersangabe"]),
        (6, ["Ab drei", "Ohne Altersangabe"]),
        (2, ["Ohne Altersangabe"]),
    ],
)
def test_age_lies_in_the_band_with_open_ends(client, town, age, expected):
    OfferingFactory(municipality=town, title="Kita-Treff", age_from=3, age_to=6)
    OfferingFactory(municipality=town, title="Ab drei", age_from=3)
    OfferingFactory(municipality=town, title="Ohne Altersangabe")
    assert titles(client.get(FINDER, {"alter": age})) == expected


def test_sozialraum_finds_its_own_and_whole_town_offerings(client, town, personas):
    north, south = SozialraumFactory(municipality=town), SozialraumFactory(municipality=town)
    OfferingFactory(municipality=town, title="Nord", sozialraeume=[north])
    OfferingFactory(municipality=town, title="Süd", sozialraeume=[south])
    OfferingFactory(municipality=town, title="Ganze Stadt")
    OfferingFactory(municipality=personas.municipality_b, title="Anderswo")
    response = client.get(FINDER, {"kommune": town.pk, "sozialraum": north.pk})
    assert titles(response) == ["Ganze Stadt", "Nord"]
    body = response.content.decode()
    assert f'<option value="{town.pk}" selected>{town.short_name}</option>' in body
    assert f'<option value="{north.pk}" selected>' in body
    assert titles(client.get(FINDER, {"kommune": town.pk})) == ["Ganze Stadt", "Nord", "Süd"]


def test_municipality_choice_lists_only_towns_with_published_offerings(client, personas):
    OfferingFactory(municipality=personas.municipality_a)
    OfferingFactory(municipality=personas.municipality_b, status=OfferingStatus.DRAFT)
    choices = dict(client.get(FINDER).context["form"].fields["kommune"].choices)
    assert str(personas.municipality_a.pk) in choices
    assert str(personas.municipality_b.pk) not in choices


def test_phase_cost_and_language_filters(client, town):
    kita = LifePhaseFactory(slug="finder-kita", name="Kita (Finder-Test)", age_from=3, age_to=6)
    OfferingFactory(municipality=town, title="Sprachcafé", life_phases=[kita], languages=["tr"])
    OfferingFactory(municipality=town, title="Kurs", life_phases=[kita], is_free=False)
    OfferingFactory(municipality=town, title="Elternbrief")
    assert titles(client.get(FINDER, {"phase": kita.pk})) == ["Kurs", "Sprachcafé"]
    assert titles(client.get(FINDER, {"kostenfrei": "on"})) == ["Elternbrief", "Sprachcafé"]
    assert titles(client.get(FINDER, {"sprache": "tr"})) == ["Sprachcafé"]


def test_free_text_uses_german_stemming_and_ranks_by_relevance(client, town):
    OfferingFactory(municipality=town, title="Offener Treff", description="Eine Hebamme ist dabei.")
    OfferingFactory(
        municipality=town,
        title="Hebammensprechstunde mit Hebamme",
        description="Die Hebamme berät Schwangere.",
    )
    OfferingFactory(municipality=town, title="Fußball", description="Für alle Kinder.")
    assert titles(client.get(FINDER, {"q": "Hebammen"})) == [
        "Hebammensprechstunde mit Hebamme",
        "Offener Treff",
    ]
    assert titles(client.get(FINDER, {"q": "Hebamme -Schwangere"})) == ["Offener Treff"]


def test_empty_result_names_the_filters_to_drop_and_keeps_the_input(client, town):
    OfferingFactory(municipality=town, title="Kita-Treff", age_from=3, age_to=6, is_free=False)
    response = client.get(FINDER, {"alter": "12", "kostenfrei": "on", "q": "Schach"})
    body = response.content.decode()
    assert titles(response) == []
    assert "Kein Angebot passt zu dieser Suche." in body
    assert "Alter nicht berücksichtigen" in body
    assert "auch kostenpflichtige Angebote zeigen" in body
    assert "Suchbegriff „Schach“ entfernen" in body
    assert 'name="alter" value="12"' in body
    assert 'name="q" value="Schach"' in body


def test_a_bad_age_is_shown_and_left_out(client, town):
    OfferingFactory(municipality=town, title="Kita-Treff", age_from=3, age_to=6)
    response = client.get(FINDER, {"alter": "vier"})
    assert response.status_code == 200
    assert titles(response) == ["Kita-Treff"]
    assert "Bitte geben Sie das Alter als ganze Zahl an" in response.content.decode()


def test_results_are_paged_and_pages_keep_the_filters(client, town):
    for number in range(23):
        OfferingFactory(municipality=town, title=f"Angebot {number:02d}", is_free=True)
    first = client.get(FINDER, {"kostenfrei": "on"})
    assert first.context["page"].paginator.count == 23
    assert len(titles(first)) == 20
    assert "kostenfrei=on&amp;seite=2" in first.content.decode()
    second = client.get(FINDER, {"kostenfrei": "on", "seite": 2})
    assert titles(second) == ["Angebot 20", "Angebot 21", "Angebot 22"]


def test_text_search_pages_count_all_matches_and_clamp_the_page_number(client, town):
    for number in range(23):
        OfferingFactory(municipality=town, title=f"Babytreff {number:02d}", description="")
    OfferingFactory(municipality=town, title="Fußball", description="")
    first = client.get(FINDER, {"q": "Babytreff"})
    assert first.context["page"].paginator.count == 23
    assert "23 Angebote gefunden" in first.content.decode()
    assert len(titles(first)) == 20
    second = client.get(FINDER, {"q": "Babytreff", "seite": 2})
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    past_the_end = client.get(FINDER, {"q": "Babytreff", "seite": 99})
    assert past_the_end.context["page"].number == 2
    assert titles(past_the_end) == titles(second)
    assert client.get(FINDER, {"q": "Babytreff", "seite": "zwei"}).context["page"].number == 1
    nothing = client.get(FINDER, {"q": "Schach", "seite": 3})
    assert nothing.context["page"].paginator.count == 0
    assert titles(nothing) == []


@pytest.mark.parametrize(
    ("age_from", "age_to", "text"),
    [(3, 6, "3 bis unter 6 Jahre"), (3, None, "ab 3 Jahren"), (None, 6, "unter 6 Jahren")],
)
def test_results_name_the_age_band(client, town, age_from, age_to, text):
    OfferingFactory(municipality=town, title="Kita-Treff", age_from=age_from, age_to=age_to)
    assert text in client.get(FINDER).content.decode()


def test_an_offering_for_every_age_says_so(client, town):
    OfferingFactory(municipality=town, title="Kita-Treff", age_from=None, age_to=None)
    assert "jedes Alter" in client.get(FINDER).content.decode()


def _offering_with_everything(town, number):
    phase = LifePhaseFactory(slug="finder-phase", name="Frühe Hilfen (Finder-Test)")
    offering = OfferingFactory(
        municipality=town,
        title=f"Café Kinderwagen {number}",
        provider=ActorFactory(municipality=town),
        life_phases=[phase],
        languages=["de", "ar"],
    )
    OfferingLocationFactory(offering=offering)
    OfferingLocationFactory(offering=offering, name="Stadtteilbüro")
    return offering


def test_the_list_costs_the_same_number_of_queries_for_more_rows(
    client, town, django_assert_max_num_queries
):
    _offering_with_everything(town, 0)
    with django_assert_max_num_queries(8):
        client.get(FINDER, {"kommune": town.pk})
    for number in range(1, 20):
        _offering_with_everything(town, number)
    with django_assert_max_num_queries(8):
        response = client.get(FINDER, {"kommune": town.pk})
    assert len(titles(response)) == 20


def test_a_text_search_costs_the_same_number_of_queries_for_more_rows(
    client, town, django_assert_max_num_queries
):
    _offering_with_everything(town, 0)
    with django_assert_max_num_queries(7):
        client.get(FINDER, {"q": "Kinderwagen"})
    for number in range(1, 25):
        _offering_with_everything(town, number)
    with django_assert_max_num_queries(7):
        response = client.get(FINDER, {"q": "Kinderwagen"})
    assert len(titles(response)) == 20
    assert response.context["page"].paginator.count == 25


def test_results_are_an_ordered_list_with_headings(client, town):
    _offering_with_everything(town, 1)
    body = client.get(FINDER).content.decode()
    assert '<ol class="portal-finder-results' in body
    assert '<h3 id="angebot-' in body
    assert "Café Kinderwagen 1" in body
    assert "<legend" in body
    assert "Arabisch" in body


def test_detail_shows_what_a_family_needs(client, town):
    area = SozialraumFactory(municipality=town, name="Innenstadt")
    field = FieldOfActionFactory(slug="finder-familie", name="Familie (Finder-Test)")
    offering = _offering_with_everything(town, 1)
    offering.sozialraeume.set([area])
    offering.fields_of_action.set([field])
    offering.age_from, offering.age_to = 0, 3
    offering.schedule = "dienstags 9–11 Uhr"
    offering.cost_note = "ohne Anmeldung"
    offering.accessibility = "ebenerdig, mit Wickelraum"
    offering.contact_name = "Frau Yilmaz"
    offering.contact_phone = "05231 123456"
    offering.contact_email = "treff@example.org"
    offering.website = "https://example.org/treff"
    offering.last_confirmed_on = date(2025, 2, 3)
    offering.save()
    response = client.get(reverse("prevention_chains:finder_detail", args=[offering.pk]))
    body = response.content.decode()
    for text in (
        "Café Kinderwagen 1",
        offering.provider.name,
        "0 bis unter 3 Jahre",
        "Frühe Hilfen (Finder-Test)",
        "Innenstadt",
        "Familie (Finder-Test)",
        "dienstags 9–11 Uhr",
        "kostenfrei (ohne Anmeldung)",
        "Deutsch, Arabisch",
        "ebenerdig, mit Wickelraum",
        "Marktplatz 1",
        "32756 Detmold",
        "Stadtteilbüro",
        "Frau Yilmaz",
        "tel:05231123456",
        "mailto:treff@example.org",
        "https://example.org/treff",
        "03.02.2025",
    ):
        assert text in body, text


def test_detail_of_an_offering_without_sozialraum_serves_the_whole_town(client, town):
    offering = OfferingFactory(municipality=town)
    body = client.get(reverse("prevention_chains:finder_detail", args=[offering.pk])).content
    assert f"ganz {town.short_name}" in body.decode()


@pytest.mark.parametrize("status", ["draft", "paused", "ended"])
def test_unpublished_offerings_have_no_detail_page(client, town, personas, status):
    offering = OfferingFactory(municipality=town, status=status)
    client.force_login(
        personas.coordinator_a
    )  # even their own coordinator: this is the public page
    url = reverse("prevention_chains:finder_detail", args=[offering.pk])
    assert client.get(url).status_code == 404


def test_unknown_offering_is_404(client, db):
    assert client.get(reverse("prevention_chains:finder_detail", args=[999999])).status_code == 404
