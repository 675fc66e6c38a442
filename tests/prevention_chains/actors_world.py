"""A small cooperation network of municipality A for the actors, network and API tests:
a Kita and a Grundschule around the transition Kita–Grundschule, a Jugendamt linked to the
Kita, a Sportverein without links, and a network (Netzwerk Frühe Hilfen) with the Jugendamt."""

from dataclasses import dataclass

from prevention_chains.models import CooperationKind
from tests.factories_chains import (
    ActorFactory,
    ActorTypeFactory,
    CooperationLinkFactory,
    LifePhaseFactory,
    NetworkFactory,
    NetworkMembershipFactory,
)


@dataclass
class World:
    personas: object
    kita_phase: object
    transition: object
    school_phase: object
    kita: object
    school: object
    youth_office: object
    sports_club: object
    network: object
    link: object  # Jugendamt – Kita
    other_actor: object  # in municipality B


def ordered(first, second):
    return (first, second) if first.pk < second.pk else (second, first)


def link(first, second, kind=CooperationKind.EXCHANGE, **extra):
    actor_a, actor_b = ordered(first, second)
    return CooperationLinkFactory(actor_a=actor_a, actor_b=actor_b, kind=kind, **extra)


def build_world(personas) -> World:
    municipality = personas.municipality_a
    kita_phase = LifePhaseFactory(
        slug="kita", name="3–6 Kita", position=3, age_from=3, age_to=6, is_transition=False
    )
    transition = LifePhaseFactory(
        slug="uebergang-kita-grundschule",
        name="Übergang Kita–Grundschule",
        position=4,
        age_from=5,
        age_to=7,
        is_transition=True,
    )
    school_phase = LifePhaseFactory(
        slug="grundschule", name="6–10 Grundschule", position=5, age_from=6, age_to=10
    )
    kita_type = ActorTypeFactory(slug="kita", name="Kita")
    school_type = ActorTypeFactory(slug="schule", name="Schule")
    office_type = ActorTypeFactory(slug="jugendamt", name="Jugendamt")
    club_type = ActorTypeFactory(slug="sportverein", name="Sportverein")
    kita = ActorFactory(municipality=municipality, name="Kita Sonnenschein", actor_type=kita_type)
    kita.life_phases.add(kita_phase)
    school = ActorFactory(
        municipality=municipality, name="Grundschule Nord", actor_type=school_type
    )
    school.life_phases.add(school_phase)
    youth_office = ActorFactory(municipality=municipality, name="Jugendamt", actor_type=office_type)
    sports_club = ActorFactory(municipality=municipality, name="TuS 1900", actor_type=club_type)
    network = NetworkFactory(municipality=municipality, name="Netzwerk Frühe Hilfen")
    NetworkMembershipFactory(network=network, actor=youth_office, role="Sprecher")
    return World(
        personas=personas,
        kita_phase=kita_phase,
        transition=transition,
        school_phase=school_phase,
        kita=kita,
        school=school,
        youth_office=youth_office,
        sports_club=sports_club,
        network=network,
        link=link(youth_office, kita),
        other_actor=ActorFactory(municipality=personas.municipality_b, name="Kita in B"),
    )
