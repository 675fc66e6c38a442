"""API of actors, networks, cooperation links, network figures and taxonomies: who reads and
writes, refusals in the one error format, constant queries."""

import pytest
from rest_framework.test import APIClient

from prevention_chains.models import Actor, CooperationLink, LifePhase, NetworkMembership
from tests.factories_chains import ActorFactory, LifePhaseFactory, OfferingFactory
from tests.prevention_chains.actors_world import build_world, link

pytestmark = pytest.mark.django_db

READERS = ("coordinator_a", "viewer_a", "companion_a", "reviewer", "state_admin")


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_readers_list_actors_of_their_municipality_only(api, world):
    assert api.get("/api/v1/actors/").status_code == 401
    for name in READERS:
        rows = as_user(api, getattr(world.personas, name)).get(
            "/api/v1/actors/", {"municipality": world.personas.municipality_a.ags}
        )
        assert rows.status_code == 200, name
        names = [row["name"] for row in rows.json()["results"]]
        assert names == ["Grundschule Nord", "Jugendamt", "Kita Sonnenschein", "TuS 1900"]
    rows = as_user(api, world.personas.coordinator_b).get("/api/v1/actors/").json()["results"]
    assert [row["name"] for row in rows] == ["Kita in B"]
    assert api.get(f"/api/v1/actors/{world.kita.pk}/").status_code == 404
    by_slug = as_user(api, world.personas.viewer_a).get(
        "/api/v1/actors/",
        {"municipality": world.personas.municipality_a.slug, "life_phase": "kita"},
    )
    [kita] = by_slug.json()["results"]
    assert kita["actor_type"] == "kita"
    assert kita["life_phases"] == ["kita"]
    assert kita["municipality"] == world.personas.municipality_a.ags
    unknown = api.get("/api/v1/actors/", {"municipality": "99999"})
    assert unknown.status_code == 400


def test_coordinator_writes_viewer_gets_403_other_coordinator_404(api, world):
    url = f"/api/v1/actors/{world.kita.pk}/"
    response = as_user(api, world.personas.viewer_a).patch(url, {"city": "X"}, format="json")
    assert response.status_code == 403
    response = as_user(api, world.personas.coordinator_b).patch(url, {"city": "X"}, format="json")
    assert response.status_code == 404
    response = as_user(api, world.personas.coordinator_a).patch(
        url, {"city": "Detmold", "life_phases": ["kita", "grundschule"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["life_phases"] == ["kita", "grundschule"]
    assert Actor.objects.get(pk=world.kita.pk).city == "Detmold"


def test_actor_created_and_duplicate_name_is_a_field_error(api, world):
    as_user(api, world.personas.coordinator_a)
    body = {
        "municipality": world.personas.municipality_a.slug,
        "name": "Familienzentrum Mitte",
        "actor_type": "kita",
        "life_phases": ["kita"],
    }
    response = api.post("/api/v1/actors/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["municipality"] == world.personas.municipality_a.ags
    response = api.post("/api/v1/actors/", body, format="json")
    assert response.status_code == 400
    assert "gibt es in dieser Kommune schon" in response.json()["error"]["details"]["name"][0]
    # A municipality the caller cannot see does not exist for it.
    other = {**body, "municipality": world.personas.municipality_b.ags}
    response = api.post("/api/v1/actors/", other, format="json")
    assert response.status_code == 400
    assert "municipality" in response.json()["error"]["details"]
    as_user(api, world.personas.viewer_a)
    assert api.post("/api/v1/actors/", {**body, "name": "Neu"}, format="json").status_code == 403


def test_actor_providing_offerings_is_refused_with_409(api, world):
    OfferingFactory(municipality=world.kita.municipality, provider=world.kita, title="Elterncafé")
    response = as_user(api, world.personas.coordinator_a).delete(f"/api/v1/actors/{world.kita.pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refused"
    assert "Elterncafé" in response.json()["error"]["message"]
    response = api.delete(f"/api/v1/actors/{world.sports_club.pk}/")
    assert response.status_code == 204


def test_networks_with_members_and_member_actions(api, world):
    as_user(api, world.personas.viewer_a)
    [network] = api.get("/api/v1/networks/").json()["results"]
    assert network["members"] == [
        {
            "actor": world.youth_office.pk,
            "actor_name": "Jugendamt",
            "role": "Sprecher",
            "since": None,
        }
    ]
    members = f"/api/v1/networks/{world.network.pk}/members/"
    assert api.post(members, {"actor": world.kita.pk}, format="json").status_code == 403
    as_user(api, world.personas.coordinator_a)
    response = api.post(members, {"actor": world.kita.pk, "role": "Mitglied"}, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["members"]) == 2
    response = api.post(members, {"actor": world.kita.pk}, format="json")
    assert response.status_code == 400
    assert "schon Mitglied" in response.json()["error"]["details"]["actor"][0]
    response = api.post(members, {"actor": world.other_actor.pk}, format="json")
    assert response.status_code == 400
    response = api.delete(f"{members}{world.kita.pk}/")
    assert response.status_code == 204
    assert not NetworkMembership.objects.filter(actor=world.kita).exists()
    assert (
        as_user(api, world.personas.coordinator_b).get(members.replace("members/", "")).status_code
        == 404
    )


def test_cooperation_links_are_normalised_and_refused_twice(api, world):
    as_user(api, world.personas.coordinator_a)
    body = {"actor_a": world.school.pk, "actor_b": world.kita.pk, "kind": "fallberatung"}
    response = api.post("/api/v1/cooperation-links/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["actor_a"] == min(world.school.pk, world.kita.pk)
    response = api.post("/api/v1/cooperation-links/", body, format="json")
    assert response.status_code == 409
    assert "schon erfasst" in response.json()["error"]["message"]
    response = api.post(
        "/api/v1/cooperation-links/",
        {**body, "actor_b": world.other_actor.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "actor_b" in response.json()["error"]["details"]
    rows = api.get("/api/v1/cooperation-links/", {"kind": "fallberatung"}).json()["results"]
    assert len(rows) == 1
    link_url = f"/api/v1/cooperation-links/{rows[0]['id']}/"
    response = api.patch(link_url, {"note": "monatlich"}, format="json")
    assert response.json()["note"] == "monatlich"
    as_user(api, world.personas.viewer_a)
    assert api.delete(link_url).status_code == 403
    as_user(api, world.personas.coordinator_b)
    assert api.get(link_url).status_code == 404
    as_user(api, world.personas.coordinator_a)
    assert api.delete(link_url).status_code == 204
    assert CooperationLink.objects.count() == 1


def test_network_metrics_per_municipality(api, world):
    url = f"/api/v1/network-metrics/{world.personas.municipality_a.ags}/"
    assert as_user(api, world.personas.coordinator_b).get(url).status_code == 404
    figures = as_user(api, world.personas.reviewer).get(url).json()
    assert figures["actor_count"] == 4
    assert figures["link_count"] == 1
    assert figures["density"] == "0.167"
    isolated = {item["actor"]["name"]: item["in_network"] for item in figures["isolated"]}
    assert isolated == {"Grundschule Nord": False, "TuS 1900": False}
    [kita_transition] = [
        t for t in figures["transitions"] if t["transition"]["slug"] == "uebergang-kita-grundschule"
    ]
    assert kita_transition["missing"] is True
    link(world.kita, world.school, kind="kooperationsvereinbarung")
    by_slug = api.get(f"/api/v1/network-metrics/{world.personas.municipality_a.slug}/").json()
    [kita_transition] = [
        t for t in by_slug["transitions"] if t["transition"]["slug"] == "uebergang-kita-grundschule"
    ]
    assert kita_transition["missing"] is False


def test_taxonomies_are_public_and_written_by_the_state_admin(api, world):
    response = api.get("/api/v1/life-phases/")
    assert response.status_code == 200
    assert "kita" in [row["slug"] for row in response.json()["results"]]
    assert api.get("/api/v1/actor-types/kita/").json()["name"] == "Kita"
    assert api.post("/api/v1/target-groups/", {"slug": "x", "name": "X"}).status_code == 401
    as_user(api, world.personas.coordinator_a)
    response = api.post("/api/v1/target-groups/", {"slug": "x", "name": "X"}, format="json")
    assert response.status_code == 403
    as_user(api, world.personas.state_admin)
    response = api.post(
        "/api/v1/life-phases/",
        {"slug": "ausbildung", "name": "16–18 Ausbildung", "age_from": 16, "age_to": 18},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = api.patch(
        "/api/v1/life-phases/ausbildung/", {"slug": "neu", "is_active": False}, format="json"
    )
    assert response.json()["slug"] == "ausbildung"
    assert response.json()["is_active"] is False
    assert LifePhase.objects.get(slug="ausbildung").is_active is False
    assert api.get("/api/v1/life-phases/", {"active": "false"}).json()["count"] >= 1
    # In use: refused; unused: deleted.
    response = api.delete("/api/v1/life-phases/kita/")
    assert response.status_code == 409
    assert api.delete("/api/v1/life-phases/ausbildung/").status_code == 204
    response = api.post(
        "/api/v1/life-phases/",
        {"slug": "leer", "name": "Leer", "age_from": 5, "age_to": 5},
        format="json",
    )
    assert response.status_code == 400
    assert "age_to" in response.json()["error"]["details"]


def test_lists_keep_constant_queries(api, world, django_assert_max_num_queries):
    municipality = world.kita.municipality
    for number in range(12):
        first = ActorFactory(municipality=municipality, actor_type=world.kita.actor_type)
        first.life_phases.add(world.kita_phase)
        second = ActorFactory(municipality=municipality, actor_type=world.kita.actor_type)
        link(first, second)
        LifePhaseFactory(slug=f"phase-extra-{number}", name=f"Extra {number}")
    as_user(api, world.personas.coordinator_a)
    for url in (
        "/api/v1/actors/",
        "/api/v1/networks/",
        "/api/v1/cooperation-links/",
        f"/api/v1/network-metrics/{municipality.ags}/",
        "/api/v1/life-phases/",
    ):
        with django_assert_max_num_queries(10):
            assert api.get(url).status_code == 200, url
