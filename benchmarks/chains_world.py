"""A synthetic prevention chain for the benchmarks (issue 5, "Tests and speed").

`fill()` gives one kreisfreie Stadt of the reference data 20 Sozialräume (with children per age
band) and 3,000 current offerings spread over the seeded life phases and fields of action: each
offering in one or two neighbouring phases and one or two fields, for the whole municipality
(one in five) or one or two Sozialräume, with titles and descriptions drawn from a pool of
topics and sentences – and 40 pairs of near twins („Elterncafé …“ / „Eltern-Café …“). Written
with bulk_create. Calling it again adds nothing (KEKIZ_BENCH_KEEPDB=1 keeps it).

Expects the reference data and the seeded taxonomy in the database. Only for scratch databases.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from accounts.models import User
from municipalities.models import (
    Municipality,
    MunicipalityKind,
    Sozialraum,
    SozialraumPopulation,
)
from prevention_chains.models import (
    FieldOfAction,
    LifePhase,
    Offering,
    OfferingStatus,
    TargetGroup,
)

OFFERINGS = 3000
AREAS = 20
TWIN_PAIRS = 40
MARKER = "chains-bench@example.org"

TOPICS = [
    ("Elterncafé", "Offener Treff für Eltern mit Babys und Kleinkindern"),
    ("Babymassage", "Kurs für Eltern und Säuglinge zur Entspannung und Bindung"),
    ("Sprachförderung", "Alltagsintegrierte Sprachbildung in kleinen Gruppen"),
    ("Hausaufgabenhilfe", "Betreute Lernzeit mit Ehrenamtlichen nach der Schule"),
    ("Familienhebamme", "Aufsuchende Begleitung von Familien im ersten Lebensjahr"),
    ("Bewegungsgruppe", "Spiel und Bewegung für Kinder mit Übungsleitung"),
    ("Erziehungsberatung", "Beratung bei Fragen zur Erziehung und Entwicklung"),
    ("Lesepaten", "Vorlesen und gemeinsames Lesen mit Patinnen und Paten"),
    ("Schwimmkurs", "Schwimmen lernen im Hallenbad in festen Gruppen"),
    ("Berufsorientierung", "Praktika, Bewerbungstraining und Betriebserkundungen"),
    ("Musikwerkstatt", "Instrumente ausprobieren und gemeinsam musizieren"),
    ("Gesundheitsprojekt", "Ernährung, Zahngesundheit und Bewegung im Alltag"),
    ("Schuldnerberatung", "Beratung für Familien mit Schulden und Haushaltsplanung"),
    ("Jugendtreff", "Offene Kinder- und Jugendarbeit mit Freizeitangeboten"),
    ("Theaterprojekt", "Spielen, Improvisieren und eine eigene Aufführung"),
    ("Übergangsbegleitung", "Begleitung beim Wechsel in die nächste Einrichtung"),
]
SENTENCES = [
    "Die Teilnahme ist kostenfrei.",
    "Eine Anmeldung ist nicht nötig.",
    "Dolmetscherinnen können hinzugezogen werden.",
    "Geschwisterkinder sind willkommen.",
    "Die Räume sind barrierefrei.",
    "Wir arbeiten mit der Kita und der Schule im Quartier zusammen.",
    "Ein Imbiss wird angeboten.",
    "Fachkräfte des Jugendamts sind regelmäßig vor Ort.",
    "Das Angebot findet auch in den Ferien statt.",
    "Väter sind ausdrücklich eingeladen.",
    "Termine nach Vereinbarung.",
    "Kinderbetreuung während der Treffen.",
]


@dataclass(frozen=True)
class World:
    municipality: Municipality
    user: User
    offerings: int


def fill(*, seed: int = 5) -> World:
    municipality = (
        Municipality.objects.filter(kind=MunicipalityKind.KREISFREIE_STADT).order_by("ags").first()
    )
    user, created = User.objects.get_or_create(email=MARKER, defaults={"full_name": "Benchmark"})
    if created or not Offering.objects.filter(created_by=user).exists():
        with transaction.atomic():
            _fill(municipality, user, random.Random(seed))  # noqa: S311 – not secret
        with connection.cursor() as cursor:
            for table in (
                "prevention_chains_offering",
                "prevention_chains_offering_life_phases",
                "prevention_chains_offering_fields_of_action",
                "prevention_chains_offering_sozialraeume",
                "prevention_chains_offering_target_groups",
                "municipalities_sozialraum",
                "municipalities_sozialraumpopulation",
            ):
                cursor.execute(f"ANALYZE {table}")
    return World(municipality, user, Offering.objects.filter(created_by=user).count())


def _fill(municipality, user, rng: random.Random) -> None:
    areas = Sozialraum.objects.bulk_create(
        Sozialraum(
            municipality=municipality,
            code=f"B{n:02d}",
            name=f"Bench-Quartier {n:02d}",
            valid_from=date(2010, 1, 1),
        )
        for n in range(1, AREAS + 1)
    )
    SozialraumPopulation.objects.bulk_create(
        SozialraumPopulation(
            sozialraum=area,
            year=2023,
            age_from=lo,
            age_to=hi,
            count=rng.randint(80, 400) * (hi - lo),
        )
        for area in areas
        for lo, hi in ((0, 3), (3, 6), (6, 10), (10, 16), (16, 18))
    )
    phases = list(LifePhase.objects.filter(is_active=True))
    fields = list(FieldOfAction.objects.filter(is_active=True))
    groups = list(TargetGroup.objects.filter(is_active=True))
    plans = []
    offerings = []
    for n in range(OFFERINGS - 2 * TWIN_PAIRS):
        topic, text = rng.choice(TOPICS)
        served = [] if rng.random() < 0.2 else rng.sample(areas, rng.randint(1, 2))
        place = served[0].name if served else "für alle Stadtteile"
        extra = " ".join(rng.sample(SENTENCES, 3))
        offerings.append(_offering(municipality, user, f"{topic} {place} {n}", f"{text}. {extra}"))
        plans.append(_plan(rng, phases, fields, groups, served))
    for n in range(TWIN_PAIRS):
        area = areas[n % AREAS]
        text = "Offener Treff für Eltern mit Babys und Kleinkindern, mittwochs, mit Hebamme"
        plan = _plan(rng, phases, fields, groups, [area])
        offerings.append(
            _offering(municipality, user, f"Elterncafé im Familienzentrum {n}", f"{text}.")
        )
        offerings.append(
            _offering(
                municipality, user, f"Eltern-Café Familienzentrum {n}", f"{text} im Quartier."
            )
        )
        plans += [plan, plan]
    Offering.objects.bulk_create(offerings, batch_size=1000)
    relations = {
        Offering.life_phases.through: ("lifephase_id", 0),
        Offering.fields_of_action.through: ("fieldofaction_id", 1),
        Offering.target_groups.through: ("targetgroup_id", 2),
        Offering.sozialraeume.through: ("sozialraum_id", 3),
    }
    for through, (column, position) in relations.items():
        through.objects.bulk_create(
            (
                through(offering_id=offering.pk, **{column: term.pk})
                for offering, plan in zip(offerings, plans, strict=True)
                for term in plan[position]
            ),
            batch_size=5000,
        )


def _offering(municipality, user, title: str, description: str) -> Offering:
    return Offering(
        municipality=municipality,
        title=title,
        description=description,
        status=OfferingStatus.PUBLISHED,
        created_by=user,
    )


def _plan(rng, phases, fields, groups, served):
    """(phases, fields, target groups, Sozialräume) of one offering."""
    first = rng.randrange(len(phases))
    return (
        phases[first : first + rng.randint(1, 2)],
        rng.sample(fields, rng.randint(1, 2)),
        rng.sample(groups, rng.randint(0, 2)),
        served,
    )
