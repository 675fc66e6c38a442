"""Pages of actors, networks, cooperation links and the network view: who reaches what (404
otherwise), what the pages do and say, constant queries."""

import pytest
from django.urls import reverse

from prevention_chains.models import Actor, CooperationLink, Network, NetworkMembership
from tests.factories_chains import ActorFactory, OfferingFactory
from tests.prevention_chains.actors_world import build_world, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


READERS = ("coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin")
WRITERS = ("coordinator_a", "state_admin")
OUTSIDERS = ("coordinator_b", "researcher", "outsider")


def read_urls(world):
    slug = world.personas.municipality_a.slug
    return [
        reverse("prevention_chains:actor_list", args=[slug]),
        reverse("prevention_chains:actor_detail", args=[world.kita.pk]),
        reverse("prevention_chains:network_list", args=[slug]),
        reverse("prevention_chains:network_detail", args=[world.network.pk]),
        reverse("prevention_chains:cooperation_list", args=[slug]),
        reverse("prevention_chains:network_graph", args=[slug]),
    ]


def write_urls(world):
    slug = world.personas.municipality_a.slug
    membership = NetworkMembership.objects.get(network=world.network)
    return [
        reverse("prevention_chains:actor_create", args=[slug]),
        reverse("prevention_chains:actor_edit", args=[world.kita.pk]),
        reverse("prevention_chains:actor_delete", args=[world.kita.pk]),
        reverse("prevention_chains:network_create", args=[slug]),
        reverse("prevention_chains:network_edit", args=[world.network.pk]),
        reverse("prevention_chains:network_delete", args=[world.network.pk]),
        reverse("prevention_chains:network_member_remove", args=[world.network.pk, membership.pk]),
        reverse("prevention_chains:cooperation_create", args=[slug]),
        reverse("prevention_chains:cooperation_delete", args=[world.link.pk]),
    ]


def test_members_and_state_office_read_outsiders_get_404(client, world):
    for name in READERS:
        client.force_login(getattr(world.personas, name))
        for url in read_urls(world):
            assert client.get(url).status_code == 200, (name, url)
    for name in OUTSIDERS:
        client.force_login(getattr(world.personas, name))
        for url in read_urls(world) + write_urls(world):
            assert client.get(url).status_code == 404, (name, url)
    client.logout()
    for url in read_urls(world):
        assert client.get(url).status_code == 302, url


def test_writers_reach_the_write_pages_readers_get_404(client, world):
    for name in ("viewer_a", "companion_a", "reviewer"):
        client.force_login(getattr(world.personas, name))
        for url in write_urls(world):
            assert client.get(url).status_code == 404, (name, url)
        page = client.get(read_urls(world)[1]).content.decode()
        assert write_urls(world)[1] not in page  # no edit button for readers
    for name in WRITERS:
        client.force_login(getattr(world.personas, name))
        for url in write_urls(world):
            assert client.get(url).status_code == 200, (name, url)


def test_actor_list_searches_filters_and_exports(client, world):
    client.force_login(world.personas.viewer_a)
    url = read_urls(world)[0]
    page = client.get(url, {"suche": "sonnen"}).content.decode()
    assert "Kita Sonnenschein" in page
    assert "Grundschule Nord" not in page
    page = client.get(url, {"phase": "grundschule"}).content.decode()
    assert "Grundschule Nord" in page
    assert "Kita Sonnenschein" not in page
    page = client.get(url, {"art": "sportverein"}).content.decode()
    assert "TuS 1900" in page
    assert "Jugendamt</a>" not in page
    assert "Kein Akteur passt" in client.get(url, {"suche": "zzz"}).content.decode()
    export = client.get(url, {"art": "kita", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name;Art;Lebensphasen")
    assert lines[1:] == [
        "Kita Sonnenschein;Kita;3–6 Kita;;;;;;;;",
    ]


def test_actor_list_empty_state(client, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:actor_list", args=[personas.municipality_a.slug])
    assert "noch keine Akteure erfasst" in client.get(url).content.decode()


def test_actor_list_queries_do_not_grow(client, world, django_assert_max_num_queries):
    for _number in range(40):
        ActorFactory(municipality=world.kita.municipality, actor_type=world.kita.actor_type)
    client.force_login(world.personas.coordinator_a)
    with django_assert_max_num_queries(14):
        assert client.get(read_urls(world)[0]).status_code == 200


def test_actor_created_with_clear_error_for_a_duplicate_name(client, world):
    client.force_login(world.personas.coordinator_a)
    url = write_urls(world)[0]
    data = {
        "name": "Kita Sonnenschein",
        "actor_type": world.kita.actor_type.pk,
        "life_phases": [world.kita_phase.pk],
        "email": "kita@example.org",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "gibt es in dieser Kommune schon" in page
    assert 'value="kita@example.org"' in page
    data["name"] = "Kita Sonnenschein – Standort Süd"
    response = client.post(url, data)
    created = Actor.objects.get(name="Kita Sonnenschein – Standort Süd")
    assert response.url == reverse("prevention_chains:actor_detail", args=[created.pk])
    assert list(created.life_phases.all()) == [world.kita_phase]


def test_actor_detail_shows_networks_links_and_offerings(client, world):
    OfferingFactory(
        municipality=world.youth_office.municipality,
        provider=world.youth_office,
        title="Willkommensbesuch",
    )
    client.force_login(world.personas.viewer_a)
    page = client.get(
        reverse("prevention_chains:actor_detail", args=[world.youth_office.pk])
    ).content.decode()
    assert "Netzwerk Frühe Hilfen" in page
    assert "Sprecher" in page
    assert "Kita Sonnenschein" in page
    assert "Willkommensbesuch" in page


def test_actor_delete_refused_while_providing_offerings(client, world):
    OfferingFactory(municipality=world.kita.municipality, provider=world.kita, title="Elterncafé")
    client.force_login(world.personas.coordinator_a)
    url = reverse("prevention_chains:actor_delete", args=[world.kita.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "Träger von Angeboten („Elterncafé“)" in response.content.decode()
    url = reverse("prevention_chains:actor_delete", args=[world.sports_club.pk])
    assert client.post(url).status_code == 302
    assert not Actor.objects.filter(pk=world.sports_club.pk).exists()


def test_network_created_members_added_and_removed(client, world):
    client.force_login(world.personas.coordinator_a)
    response = client.post(
        write_urls(world)[3],
        {"name": "Steuerungsgruppe", "kind": "steuerungsgruppe", "life_phases": []},
    )
    network = Network.objects.get(name="Steuerungsgruppe")
    assert response.url == reverse("prevention_chains:network_detail", args=[network.pk])
    add = reverse("prevention_chains:network_member_add", args=[network.pk])
    response = client.post(add, {"actor": world.kita.pk, "role": "Leitung", "since": "2024-01-15"})
    assert response.status_code == 302
    membership = NetworkMembership.objects.get(network=network)
    assert (membership.role, str(membership.since)) == ("Leitung", "2024-01-15")
    # An actor of another municipality is not even offered.
    response = client.post(add, {"actor": world.other_actor.pk})
    assert response.status_code == 400
    remove = reverse("prevention_chains:network_member_remove", args=[network.pk, membership.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not NetworkMembership.objects.filter(network=network).exists()


def test_cooperation_created_normalised_duplicate_refused_and_filtered(client, world):
    client.force_login(world.personas.coordinator_a)
    url = write_urls(world)[7]
    form = client.get(url, {"akteur": world.school.pk}).content.decode()
    assert f'value="{world.school.pk}" selected' in form
    data = {"first": world.school.pk, "second": world.kita.pk, "kind": "fallberatung"}
    assert client.post(url, data).status_code == 302
    created = CooperationLink.objects.get(kind="fallberatung")
    assert created.actor_a_id < created.actor_b_id
    response = client.post(url, {**data, "first": world.kita.pk, "second": world.school.pk})
    assert response.status_code == 200
    assert "schon erfasst" in response.content.decode()
    listing = client.get(read_urls(world)[4], {"art": "fallberatung"}).content.decode()
    assert "Grundschule Nord" in listing
    assert "Jugendamt" not in listing
    delete = reverse("prevention_chains:cooperation_delete", args=[created.pk])
    assert client.post(delete).status_code == 302
    assert not CooperationLink.objects.filter(pk=created.pk).exists()


def test_lists_keep_constant_queries(client, world, django_assert_max_num_queries):
    municipality = world.kita.municipality
    for _number in range(15):
        first = ActorFactory(municipality=municipality, actor_type=world.kita.actor_type)
        second = ActorFactory(municipality=municipality, actor_type=world.kita.actor_type)
        link(first, second)
    client.force_login(world.personas.coordinator_a)
    for url in (read_urls(world)[2], read_urls(world)[4], read_urls(world)[5]):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url


def test_network_view_draws_the_graph_and_names_the_gap(client, world):
    client.force_login(world.personas.viewer_a)
    url = read_urls(world)[5]
    page = client.get(url).content.decode()
    assert 'role="img"' in page
    assert '<title id="graph-svg-titel">' in page
    assert page.count("<line ") >= 1
    assert (
        "Übergang Kita–Grundschule: keine Kooperation zwischen Akteuren der Phase 3–6 Kita "
        "und 6–10 Grundschule"
    ) in page
    assert "TuS 1900" in page
    assert "Akteurstypen:" in page
    assert "Sportverein" in page  # the legend names each type, colour is not the only cue
    link(world.kita, world.school, kind="kooperationsvereinbarung")
    page = client.get(url).content.decode()
    assert "keine Kooperation zwischen Akteuren der Phase 3–6 Kita" not in page
    assert "1 Kooperation zwischen Akteuren der Phase 3–6 Kita" in page


def test_network_view_empty_state(client, personas):
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:network_graph", args=[personas.municipality_a.slug])
    page = client.get(url).content.decode()
    assert "noch keine Akteure erfasst" in page
    assert "<svg role" not in page


def test_actor_and_network_edited_then_network_deleted(client, world):
    client.force_login(world.personas.coordinator_a)
    edit = reverse("prevention_chains:actor_edit", args=[world.kita.pk])
    assert "Kita Sonnenschein bearbeiten" in client.get(edit).content.decode()
    data = {
        "name": "Kita Regenbogen",
        "actor_type": world.kita.actor_type.pk,
        "life_phases": [world.kita_phase.pk],
    }
    response = client.post(edit, data)
    assert response.url == reverse("prevention_chains:actor_detail", args=[world.kita.pk])
    world.kita.refresh_from_db()
    assert world.kita.name == "Kita Regenbogen"
    edit = reverse("prevention_chains:network_edit", args=[world.network.pk])
    response = client.post(edit, {"name": "Netzwerk Kinderschutz", "kind": world.network.kind})
    assert response.url == reverse("prevention_chains:network_detail", args=[world.network.pk])
    delete = reverse("prevention_chains:network_delete", args=[world.network.pk])
    assert "Die Mitgliedschaften gehen mit" in client.get(delete).content.decode()
    response = client.post(delete)
    assert response.url == reverse(
        "prevention_chains:network_list", args=[world.personas.municipality_a.slug]
    )
    assert not Network.objects.filter(pk=world.network.pk).exists()
