"""The offerings API: who reads and writes (404 outside the rights, 403 for readers who try
to write, 401 without login), filters, CSV, create/update with optimistic locking (409
`stale`), refusals naming fields (400), delete, confirm, constant queries on the list."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from prevention_chains.api.offerings import CSV_COLUMNS
from prevention_chains.models import Offering
from tests.factories_chains import GoodPracticeFactory, OfferingLocationFactory
from tests.prevention_chains.offerings_world import build

pytestmark = pytest.mark.django_db
LIST = "/api/v1/offerings/"


@pytest.fixture
def world(personas):
    return build(personas)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def new_offering(world, **changes):
    body = {
        "municipality": world.municipality.ags,
        "title": "Café Kinderwagen",
        "life_phases": ["fruehe-hilfen"],
        "fields_of_action": ["familie"],
        "provider": world.actors["Jugendamt"].pk,
        "sozialraeume": [world.areas["01"].pk],
        "languages": ["de", "uk"],
        "locations": [{"name": "Familienzentrum Nord", "postcode": "32756"}],
        "status": "published",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer", "state_admin"]
)
def test_readers_list_and_retrieve(world, personas, persona):
    own = world.offering(title="Eigenes")
    world.offering(municipality=world.other, title="Fremdes")
    client = api(getattr(personas, persona))
    titles = [row["title"] for row in client.get(LIST).json()["results"]]
    assert "Eigenes" in titles
    assert ("Fremdes" in titles) == (persona in ("reviewer", "state_admin"))
    assert client.get(f"{LIST}{own.pk}/").json()["title"] == "Eigenes"


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_strangers_see_nothing(world, personas, persona):
    own = world.offering()
    client = api(getattr(personas, persona))
    assert client.get(LIST).json()["count"] == 0
    assert client.get(f"{LIST}{own.pk}/").status_code == 404
    assert client.patch(f"{LIST}{own.pk}/", {"title": "x", "version": 1}).status_code == 404
    assert client.delete(f"{LIST}{own.pk}/").status_code == 404
    assert client.post(f"{LIST}{own.pk}/confirm/").status_code == 404
    refused = client.post(LIST, new_offering(world), format="json")
    assert refused.status_code == 400
    assert "municipality" in refused.json()["error"]["details"]
    assert Offering.objects.count() == 1


def test_anonymous_gets_401(world):
    own = world.offering()
    assert api().get(LIST).status_code == 401
    assert api().get(f"{LIST}{own.pk}/").status_code == 401


def test_a_reader_may_not_write(world, personas):
    own = world.offering(title="Bleibt")
    client = api(personas.viewer_a)
    assert client.post(LIST, new_offering(world), format="json").status_code == 403
    assert client.patch(f"{LIST}{own.pk}/", {"title": "x", "version": 1}).status_code == 403
    assert client.delete(f"{LIST}{own.pk}/").status_code == 403
    assert client.post(f"{LIST}{own.pk}/confirm/").status_code == 403
    own.refresh_from_db()
    assert own.title == "Bleibt"


def test_coordinator_creates_updates_confirms_and_deletes(world, personas):
    client = api(personas.coordinator_a)
    created = client.post(LIST, new_offering(world), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["municipality"] == world.municipality.ags
    assert body["languages"] == ["de", "uk"]
    assert body["sozialraeume"] == [{"id": world.areas["01"].pk, "code": "01", "name": "Nord"}]
    assert body["locations"][0]["postcode"] == "32756"
    assert body["last_confirmed_on"] == timezone.localdate().isoformat()
    assert body["is_stale"] is False
    url = f"{LIST}{body['id']}/"

    patched = client.patch(url, {"schedule": "montags", "version": 1}, format="json")
    assert patched.status_code == 200
    assert patched.json()["version"] == 2
    assert patched.json()["schedule"] == "montags"
    assert patched.json()["languages"] == ["de", "uk"]  # kept
    assert patched.json()["locations"][0]["name"] == "Familienzentrum Nord"

    stale = client.patch(url, {"title": "Zu spät", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"

    replaced = client.put(
        url,
        {"title": "Neu", "life_phases": ["kita"], "fields_of_action": ["familie"], "version": 2},
        format="json",
    )
    assert replaced.status_code == 200
    assert replaced.json()["languages"] == []
    assert replaced.json()["locations"] == []

    Offering.objects.filter(pk=body["id"]).update(last_confirmed_on=None)
    confirmed = client.post(f"{url}confirm/")
    assert confirmed.json()["last_confirmed_on"] == timezone.localdate().isoformat()
    assert client.delete(url).status_code == 204
    assert not Offering.objects.exists()


def test_state_admin_writes_any_municipality(world, personas):
    response = api(personas.state_admin).post(
        LIST, new_offering(world, municipality=world.municipality.slug), format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"life_phases": []}, "life_phases"),
        ({"age_from": 5, "age_to": 2}, "age_to"),
        ({"languages": ["xx"]}, "languages"),
        ({"provider": None, "sozialraeume": []}, None),
        ({"contact_email": "nein"}, "contact_email"),
        ({"is_free": False}, "cost_note"),
        ({"life_phases": ["gibt-es-nicht"]}, "life_phases"),
    ],
)
def test_refusals_name_the_field(world, personas, changes, field):
    response = api(personas.coordinator_a).post(LIST, new_offering(world, **changes), format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


def test_provider_of_another_municipality_is_refused(world, personas):
    response = api(personas.coordinator_a).post(
        LIST,
        new_offering(world, provider=world.foreign_actor.pk, sozialraeume=[world.foreign_area.pk]),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"provider", "sozialraeume"}


def test_deleting_good_practice_is_refused_with_409(world, personas):
    offering = world.offering()
    GoodPracticeFactory(offering=offering)
    response = api(personas.coordinator_a).delete(f"{LIST}{offering.pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refused"


def test_filters(world, personas):
    long_ago = timezone.localdate() - timedelta(days=900)
    world.offering(title="Babymassage", sozialraeume=[world.areas["01"]])
    world.offering(
        title="Kita-Sprechstunde",
        life_phases=[world.phases["kita"]],
        fields_of_action=[world.fields["gesundheit"]],
        target_groups=[world.groups["alleinerziehende"]],
        sozialraeume=[world.areas["02"]],
        status="draft",
    )
    world.offering(title="Elternbriefe", last_confirmed_on=long_ago)
    world.offering(municipality=world.other, title="Fremd")
    client = api(personas.reviewer)

    def titles(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return {row["title"] for row in response.json()["results"]}

    assert titles(municipality=world.municipality.ags) == {
        "Babymassage",
        "Kita-Sprechstunde",
        "Elternbriefe",
    }
    assert titles(municipality=world.other.slug) == {"Fremd"}
    assert titles(phase="kita", field="gesundheit") == {"Kita-Sprechstunde"}
    assert titles(target_group="alleinerziehende") == {"Kita-Sprechstunde"}
    assert titles(sozialraum=world.areas["01"].pk) == {"Babymassage", "Elternbriefe"}
    assert titles(status="draft") == {"Kita-Sprechstunde"}
    assert titles(stale="true") == {"Elternbriefe"}
    assert "Elternbriefe" not in titles(stale="false")
    assert titles(q="Babymassagen") == {"Babymassage"}
    assert client.get(LIST, {"municipality": "99999"}).status_code == 400
    assert client.get(LIST, {"status": "geheim"}).status_code == 400


def test_csv_export(world, personas):
    offering = world.offering(title="=Formel", languages=["de", "tr"])
    OfferingLocationFactory(offering=offering)
    response = api(personas.coordinator_a).get(LIST, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["title"] == "'=Formel"
    assert rows[0]["languages"] == "de|tr"
    assert rows[0]["life_phases"] == "fruehe-hilfen"
    assert list(rows[0]) == CSV_COLUMNS
    assert {"municipality", "sozialraeume", "is_stale"} <= set(CSV_COLUMNS)


def test_list_queries_do_not_grow_with_rows(world, personas, django_assert_max_num_queries):
    client = api(personas.coordinator_a)
    world.offering()
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    for number in range(25):
        offering = world.offering(
            title=f"Angebot {number}",
            provider=world.actors["Jugendamt"],
            sozialraeume=[world.areas["01"]],
            target_groups=[world.groups["alleinerziehende"]],
        )
        OfferingLocationFactory(offering=offering)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).json()["count"] == 26
