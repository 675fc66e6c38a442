"""The offering pages: who may read and write, the list's filters (the parameter names the
chain matrix links with), export, the form (keeps input, refuses stale edits), delete and
confirmation, constant queries on the list."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from prevention_chains.models import Offering
from tests.factories_chains import OfferingLocationFactory
from tests.prevention_chains.offerings_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas)


READERS = ["coordinator_a", "viewer_a", "companion_a", "reviewer", "state_admin"]
WRITERS = ["coordinator_a", "state_admin"]
STRANGERS = ["coordinator_b", "outsider", "researcher"]


def form_data(world, **changes):
    data = {
        "version": "1",
        "title": "Café Kinderwagen",
        "description": "Offener Treff für Eltern mit Babys",
        "provider": world.actors["Familienzentrum Nord"].pk,
        "life_phases": [world.phases["fruehe-hilfen"].pk],
        "fields_of_action": [world.fields["familie"].pk],
        "age_from": "0",
        "age_to": "3",
        "sozialraeume": [world.areas["01"].pk],
        "is_free": "on",
        "languages": ["de", "tr"],
        "status": "published",
        "orte-TOTAL_FORMS": "1",
        "orte-INITIAL_FORMS": "0",
        "orte-0-name": "Familienzentrum Nord",
        "orte-0-postcode": "32756",
    }
    data.update(changes)
    return data


def page_urls(world, offering):
    slug = world.municipality.slug
    return {
        "read": [
            reverse("prevention_chains:offering_list", args=[slug]),
            reverse("prevention_chains:offering_export", args=[slug, "csv"]),
            reverse("prevention_chains:offering_detail", args=[offering.pk]),
        ],
        "write": [
            reverse("prevention_chains:offering_create", args=[slug]),
            reverse("prevention_chains:offering_edit", args=[offering.pk]),
            reverse("prevention_chains:offering_delete", args=[offering.pk]),
        ],
    }


@pytest.mark.parametrize("persona", READERS)
def test_readers_read(client, world, personas, persona):
    offering = world.offering()
    client.force_login(getattr(personas, persona))
    for url in page_urls(world, offering)["read"]:
        assert client.get(url).status_code == 200, url
    can_write = persona in WRITERS
    for url in page_urls(world, offering)["write"]:
        assert client.get(url).status_code == (200 if can_write else 404), url
    confirm = reverse("prevention_chains:offering_confirm", args=[offering.pk])
    assert client.post(confirm).status_code == (302 if can_write else 404)


@pytest.mark.parametrize("persona", STRANGERS)
def test_strangers_get_404_and_change_nothing(client, world, personas, persona):
    offering = world.offering(last_confirmed_on=None)
    client.force_login(getattr(personas, persona))
    urls = page_urls(world, offering)
    for url in urls["read"] + urls["write"]:
        assert client.get(url).status_code == 404, url
    assert client.post(urls["write"][0], form_data(world)).status_code == 404
    confirm = reverse("prevention_chains:offering_confirm", args=[offering.pk])
    assert client.post(confirm).status_code == 404
    delete = reverse("prevention_chains:offering_delete", args=[offering.pk])
    assert client.post(delete, {"bestaetigt": "on"}).status_code == 404
    offering.refresh_from_db()
    assert offering.last_confirmed_on is None
    assert Offering.objects.count() == 1


def test_anonymous_is_sent_to_the_login(client, world):
    offering = world.offering()
    urls = page_urls(world, offering)
    for url in urls["read"] + urls["write"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/konto/login/" in response["Location"], url


def test_coordinator_creates_an_offering_with_a_place(client, world, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_create", args=[world.municipality.slug])
    response = client.post(url, form_data(world))
    offering = Offering.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention_chains:offering_detail", args=[offering.pk])
    assert offering.languages == ["de", "tr"]
    assert offering.locations.get().name == "Familienzentrum Nord"
    assert offering.created_by == personas.coordinator_a
    page = client.get(response["Location"]).content.decode()
    assert "Türkisch" in page
    assert "01 Nord" in page


def test_refused_input_keeps_what_was_typed(client, world, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_create", args=[world.municipality.slug])
    response = client.post(
        url, form_data(world, age_from="6", age_to="3", description="Mein langer Text")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "„Alter bis unter“ muss größer sein" in page
    assert "Mein langer Text" in page
    assert not Offering.objects.exists()


def test_inactive_terms_and_expired_areas_are_not_offered(client, world, personas):
    client.force_login(personas.coordinator_a)
    page = client.get(
        reverse("prevention_chains:offering_create", args=[world.municipality.slug])
    ).content.decode()
    assert "0–3 Frühe Hilfen" in page
    assert "Alte Phase" not in page
    assert "09 Alt" not in page
    assert "Fremder Träger" not in page


def test_adding_a_place_keeps_the_form(client, world, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_create", args=[world.municipality.slug])
    response = client.post(url, form_data(world, ort_hinzufuegen="1", title="Noch offen"))
    assert response.status_code == 200
    assert 'name="orte-1-name"' in response.content.decode()
    assert "Noch offen" in response.content.decode()
    assert not Offering.objects.exists()


def test_a_stale_edit_is_refused_and_the_input_kept(client, world, personas):
    offering = world.offering(title="Original")
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_edit", args=[offering.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    Offering.objects.filter(pk=offering.pk).update(version=2, title="Von jemand anderem")
    response = client.post(url, form_data(world, title="Meine Fassung"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Jemand hat das Angebot" in page
    assert "Meine Fassung" in page
    offering.refresh_from_db()
    assert offering.title == "Von jemand anderem"


def test_edit_saves_with_the_current_version(client, world, personas):
    offering = world.offering(title="Original")
    OfferingLocationFactory(offering=offering, name="Alter Ort")
    client.force_login(personas.state_admin)
    url = reverse("prevention_chains:offering_edit", args=[offering.pk])
    assert "Alter Ort" in client.get(url).content.decode()
    response = client.post(url, form_data(world, title="Neu"))
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.title, offering.version) == ("Neu", 2)
    assert list(offering.locations.values_list("name", flat=True)) == ["Familienzentrum Nord"]


def test_delete_needs_confirmation(client, world, personas):
    offering = world.offering()
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_delete", args=[offering.pk])
    assert client.post(url, {}).status_code == 400
    assert Offering.objects.filter(pk=offering.pk).exists()
    response = client.post(url, {"bestaetigt": "on"})
    assert response["Location"] == reverse(
        "prevention_chains:offering_list", args=[world.municipality.slug]
    )
    assert not Offering.objects.filter(pk=offering.pk).exists()


def test_confirm_clears_the_stale_flag(client, world, personas):
    offering = world.offering(last_confirmed_on=None)
    client.force_login(personas.coordinator_a)
    detail = reverse("prevention_chains:offering_detail", args=[offering.pk])
    assert "nicht mehr bestätigt" in client.get(detail).content.decode()
    client.post(reverse("prevention_chains:offering_confirm", args=[offering.pk]))
    offering.refresh_from_db()
    assert offering.last_confirmed_on == timezone.localdate()
    assert "nicht mehr bestätigt" not in client.get(detail).content.decode()


def titles(response) -> set[str]:
    return {offering.title for offering in response.context["page"].object_list}


def test_list_filters_with_the_matrix_parameters(client, world, personas):
    long_ago = timezone.localdate() - timedelta(days=900)
    world.offering(
        title="Babymassage im Familienzentrum",
        sozialraeume=[world.areas["01"]],
        target_groups=[world.groups["alleinerziehende"]],
    )
    world.offering(
        title="Kita-Sprechstunde",
        life_phases=[world.phases["kita"]],
        fields_of_action=[world.fields["gesundheit"]],
        sozialraeume=[world.areas["02"]],
        status="draft",
    )
    world.offering(title="Elternbriefe für alle", last_confirmed_on=long_ago)
    world.offering(municipality=world.other, title="Fremdes Angebot")
    client.force_login(personas.viewer_a)
    url = reverse("prevention_chains:offering_list", args=[world.municipality.slug])
    everything = {"Babymassage im Familienzentrum", "Kita-Sprechstunde", "Elternbriefe für alle"}
    assert titles(client.get(url)) == everything
    assert titles(client.get(url, {"phase": "kita", "feld": "gesundheit"})) == {"Kita-Sprechstunde"}
    # A whole-municipality offering serves every Sozialraum.
    assert titles(client.get(url, {"sozialraum": world.areas["01"].pk})) == {
        "Babymassage im Familienzentrum",
        "Elternbriefe für alle",
    }
    assert titles(client.get(url, {"zielgruppe": "alleinerziehende"})) == {
        "Babymassage im Familienzentrum"
    }
    assert titles(client.get(url, {"status": "draft"})) == {"Kita-Sprechstunde"}
    assert titles(client.get(url, {"veraltet": "1"})) == {"Elternbriefe für alle"}
    # German stemming: „Babymassagen“ finds „Babymassage“; „-Wort“ excludes (websearch).
    assert titles(client.get(url, {"q": "Babymassagen"})) == {"Babymassage im Familienzentrum"}
    assert titles(client.get(url, {"q": "Babymassagen -Familienzentrum"})) == set()
    empty = client.get(url, {"q": "Schwimmkurs"})
    assert "Kein Angebot passt zu diesen Filtern." in empty.content.decode()


def test_empty_list_says_so(client, world, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_list", args=[world.municipality.slug])
    assert "Noch keine Angebote erfasst." in client.get(url).content.decode()


def test_list_queries_do_not_grow_with_rows(client, world, personas, django_assert_max_num_queries):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:offering_list", args=[world.municipality.slug])
    world.offering()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(30):
        world.offering(
            title=f"Angebot {number}",
            provider=world.actors["Jugendamt"],
            target_groups=[world.groups["alleinerziehende"]],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_export_is_the_filtered_list_in_the_import_layout(client, world, personas):
    offering = world.offering(
        title="=Babymassage", languages=["de", "ar"], sozialraeume=[world.areas["01"]]
    )
    OfferingLocationFactory(offering=offering, name="FZ Nord", city="Detmold")
    world.offering(title="Kita-Sprechstunde", life_phases=[world.phases["kita"]])
    client.force_login(personas.viewer_a)
    url = reverse("prevention_chains:offering_export", args=[world.municipality.slug, "csv"])
    response = client.get(url, {"phase": "fruehe-hilfen"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["Titel"] == "'=Babymassage"
    assert rows[0]["Lebensphasen"] == "0–3 Frühe Hilfen"
    assert rows[0]["Sprachen"] == "de, ar"
    assert rows[0]["Sozialräume"] == "01"
    assert (rows[0]["Ort/Einrichtung"], rows[0]["Ort"]) == ("FZ Nord", "Detmold")
    xlsx = client.get(
        reverse("prevention_chains:offering_export", args=[world.municipality.slug, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == 3
    pdf = reverse("prevention_chains:offering_export", args=[world.municipality.slug, "pdf"])
    assert client.get(pdf).status_code == 404
