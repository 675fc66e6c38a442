"""Rules of actors, networks and cooperation links, as the services keep them."""

import pytest

from prevention_chains.errors import ChainError
from prevention_chains.models import Actor, CooperationKind, CooperationLink, NetworkMembership
from prevention_chains.network_metrics import compute_metrics, load_network
from prevention_chains.services_actors import (
    add_member,
    create_actor,
    create_link,
    create_network,
    delete_actor,
    update_actor,
    update_link,
)
from tests.factories_chains import ActorTypeFactory, OfferingFactory
from tests.prevention_chains.actors_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_actor_names_are_unique_per_municipality_with_a_german_message(world):
    coordinator = world.personas.coordinator_a
    with pytest.raises(ChainError) as refused:
        create_actor(
            municipality=world.personas.municipality_a,
            actor=coordinator,
            name=" kita sonnenschein ",
            actor_type=world.kita.actor_type,
        )
    assert "gibt es in dieser Kommune schon" in refused.value.message_dict["name"][0]
    # The same name in another municipality is a different actor.
    other = create_actor(
        municipality=world.personas.municipality_b,
        actor=world.personas.coordinator_b,
        name="Kita Sonnenschein",
        actor_type=world.kita.actor_type,
        life_phases=[world.kita_phase],
    )
    assert list(other.life_phases.all()) == [world.kita_phase]


def test_only_writers_of_the_municipality_change_actors(world):
    for name in ("coordinator_b", "viewer_a", "reviewer"):
        with pytest.raises(ChainError, match="Koordination"):
            update_actor(organisation=world.kita, actor=getattr(world.personas, name), name="X")
    update_actor(organisation=world.kita, actor=world.personas.state_admin, city="Detmold")
    assert Actor.objects.get(pk=world.kita.pk).city == "Detmold"


def test_a_deactivated_type_is_kept_but_not_chosen_anew(world):
    retired = ActorTypeFactory(slug="alt", name="Alte Art", is_active=False)
    with pytest.raises(ChainError, match="deaktiviert"):
        update_actor(
            organisation=world.kita, actor=world.personas.coordinator_a, actor_type=retired
        )
    world.kita.actor_type.is_active = False
    world.kita.actor_type.save()
    update_actor(organisation=world.kita, actor=world.personas.coordinator_a, phone="0521 1")


def test_an_actor_providing_offerings_is_not_deleted_and_the_offerings_are_named(world):
    OfferingFactory(municipality=world.kita.municipality, provider=world.kita, title="Elterncafé")
    with pytest.raises(ChainError) as refused:
        delete_actor(organisation=world.kita, actor=world.personas.coordinator_a)
    assert "„Elterncafé“" in refused.value.messages[0]
    assert Actor.objects.filter(pk=world.kita.pk).exists()
    delete_actor(organisation=world.youth_office, actor=world.personas.coordinator_a)
    assert not CooperationLink.objects.filter(pk=world.link.pk).exists()
    assert not NetworkMembership.objects.filter(network=world.network).exists()


def test_links_are_normalised_and_duplicates_refused(world):
    coordinator = world.personas.coordinator_a
    created = create_link(
        first=world.school, second=world.kita, actor=coordinator, kind=CooperationKind.AGREEMENT
    )
    assert created.actor_a_id == min(world.school.pk, world.kita.pk)
    with pytest.raises(ChainError, match="schon erfasst"):
        create_link(
            first=world.kita,
            second=world.school,
            actor=coordinator,
            kind=CooperationKind.AGREEMENT,
        )
    # Another kind between the same two is a second link.
    create_link(
        first=world.kita, second=world.school, actor=coordinator, kind=CooperationKind.EXCHANGE
    )
    with pytest.raises(ChainError, match="schon"):
        update_link(link=created, actor=coordinator, kind=CooperationKind.EXCHANGE)


def test_links_join_two_different_actors_of_one_municipality(world):
    coordinator = world.personas.coordinator_a
    with pytest.raises(ChainError, match="zwei verschiedene"):
        create_link(first=world.kita, second=world.kita, actor=coordinator, kind="fallberatung")
    with pytest.raises(ChainError, match="derselben Kommune"):
        create_link(
            first=world.kita, second=world.other_actor, actor=coordinator, kind="fallberatung"
        )


def test_network_members_once_and_from_the_same_municipality(world):
    coordinator = world.personas.coordinator_a
    with pytest.raises(ChainError, match="schon Mitglied"):
        add_member(network=world.network, organisation=world.youth_office, actor=coordinator)
    with pytest.raises(ChainError, match="derselben Kommune"):
        add_member(network=world.network, organisation=world.other_actor, actor=coordinator)
    with pytest.raises(ChainError, match="gibt es in dieser Kommune schon"):
        create_network(
            municipality=world.network.municipality,
            actor=coordinator,
            name="netzwerk frühe hilfen",
            kind="netzwerk",
        )


def test_loaded_network_closes_the_kita_grundschule_gap_and_reopens_it(
    world, django_assert_num_queries
):
    def kita_transition():
        with django_assert_num_queries(5):
            data = load_network(world.kita.municipality)
        checks = compute_metrics(data).transitions
        return next(c for c in checks if c.transition.slug == "uebergang-kita-grundschule")

    assert kita_transition().is_missing
    created = create_link(
        first=world.kita,
        second=world.school,
        actor=world.personas.coordinator_a,
        kind=CooperationKind.AGREEMENT,
    )
    assert not kita_transition().is_missing
    created.delete()
    assert kita_transition().is_missing


def test_loaded_network_counts_the_phases_of_offerings_and_finds_the_isolated(world):
    OfferingFactory(
        municipality=world.kita.municipality,
        provider=world.youth_office,
        life_phases=[world.school_phase],
    )
    metrics = compute_metrics(load_network(world.kita.municipality))
    assert [item.node.name for item in metrics.isolated] == ["Grundschule Nord", "TuS 1900"]
    bridges = {bridge.node.name: bridge for bridge in metrics.bridges}
    # The Jugendamt works in the Grundschule phase through its offering and reaches the Kita
    # phase through its link.
    assert [phase.slug for phase in bridges["Jugendamt"].connected] == ["kita", "grundschule"]
