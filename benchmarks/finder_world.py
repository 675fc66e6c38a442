"""Published offerings at NRW scale for the finder benchmark (issue 5, "Tests and speed").

`fill()` gives every municipality of the reference data (≈ 430) 300 published offerings:
≈ 129,000, each with one or two life phases and their age band, one field of action, a
location, languages (German, often Turkish or Arabic …), a free flag and, for every second
one, one or two of the municipality's Sozialräume (four are created where a municipality has
none). Written with COPY; the search vector is computed by PostgreSQL as on every insert.
Calling it again adds nothing.

Expects the reference data (`load_reference_data`) in the database. Only for scratch databases.
"""

import io
import random
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from municipalities.models import Municipality, Sozialraum
from prevention_chains.models import ActorType, FieldOfAction, LifePhase, Offering, TargetGroup
from prevention_chains.taxonomy import load_defaults

PER_MUNICIPALITY = 300
OWNER_EMAIL = "finder-bench@example.org"

# (title, description): what NRW municipalities offer along the chain, so that full-text
# searches find realistic shares of the directory.
KINDS = [
    ("Babytreff", "Offener Treff für Eltern mit Babys, mit Hebamme und Spielangeboten."),
    ("Café Kinderwagen", "Frühstück und Austausch für Mütter und Väter im ersten Lebensjahr."),
    (
        "Sprachförderung in der Kita",
        "Alltagsintegrierte Sprachbildung für Kinder mit Förderbedarf.",
    ),
    (
        "Rucksack Kita",
        "Eltern stärken die Mehrsprachigkeit ihrer Kinder, in Gruppen mit Begleitung.",
    ),
    (
        "Familienhebamme",
        "Hausbesuche und Beratung für Familien mit Säuglingen in belasteten Lagen.",
    ),
    ("Elterncafé im Familienzentrum", "Beratung zu Erziehung, Gesundheit und Kita-Anmeldung."),
    ("Eltern-Kind-Turnen", "Bewegung für Kleinkinder mit ihren Eltern im Sportverein."),
    ("Musikgarten", "Singen, Tanzen und erste Instrumente für Kinder ab zwei Jahren."),
    ("Leseclub", "Vorlesen und Bücher entdecken in der Stadtbibliothek."),
    ("Hausaufgabenhilfe", "Lernförderung nach der Schule mit Ehrenamtlichen."),
    ("Schwimmkurs für Grundschulkinder", "Seepferdchen und Freischwimmer in kleinen Gruppen."),
    ("Ferienspiele", "Ausflüge, Spiel und Sport in den Sommerferien."),
    ("Erziehungsberatung", "Vertrauliche Beratung bei Sorgen mit Kindern und Jugendlichen."),
    ("Offener Jugendtreff", "Treffpunkt mit Angeboten zu Freizeit, Medien und Beratung."),
    ("Lernpatenschaften", "Ehrenamtliche begleiten Schülerinnen und Schüler beim Lernen."),
    ("Berufsorientierung", "Praktika, Bewerbungstraining und Beratung zum Übergang in den Beruf."),
    ("Mittagstisch", "Gemeinsames warmes Mittagessen für Schulkinder."),
    ("Frühstückstreff für Alleinerziehende", "Austausch und Kinderbetreuung am Vormittag."),
    ("Schuleingangsberatung", "Beratung zum Übergang von der Kita in die Grundschule."),
    (
        "Mehrsprachige Elternbriefe",
        "Informationen zu Entwicklung und Gesundheit in vielen Sprachen.",
    ),
]
LANGUAGE_SETS = [
    ["de"],
    ["de"],
    ["de", "tr"],
    ["de", "ar"],
    ["de", "tr", "ar"],
    ["de", "ru"],
    ["de", "uk"],
    ["de", "en"],
    ["de", "pl"],
    ["de", "fa"],
]


@dataclass(frozen=True)
class World:
    offerings: int
    target: Municipality  # the municipality the typical search asks for


def _copy(cursor, table: str, columns: str, buffer: io.StringIO) -> None:
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def fill(*, seed: int = 5) -> World:
    owner, _ = User.objects.get_or_create(email=OWNER_EMAIL, defaults={"full_name": "Benchmark"})
    municipalities = list(Municipality.objects.order_by("ags"))
    if not Offering.objects.filter(created_by=owner).exists():
        load_defaults(LifePhase, FieldOfAction, TargetGroup, ActorType)
        with transaction.atomic():
            _fill(owner, municipalities, random.Random(seed))  # noqa: S311 – not secret
        with connection.cursor() as cursor:
            for table in (
                "offering",
                "offering_life_phases",
                "offering_fields_of_action",
                "offering_sozialraeume",
                "offeringlocation",
            ):
                cursor.execute(f"ANALYZE prevention_chains_{table}")
    return World(Offering.objects.filter(created_by=owner).count(), municipalities[0])


def _areas(municipalities) -> dict[int, list[int]]:
    existing: dict[int, list[int]] = {}
    for pk, municipality_id in Sozialraum.objects.values_list("pk", "municipality_id"):
        existing.setdefault(municipality_id, []).append(pk)
    missing = [m for m in municipalities if m.pk not in existing]
    created = Sozialraum.objects.bulk_create(
        Sozialraum(municipality=m, code=f"F{n}", name=f"Stadtteil {n}", valid_from=date(2015, 1, 1))
        for m in missing
        for n in range(1, 5)
    )
    for area in created:
        existing.setdefault(area.municipality_id, []).append(area.pk)
    return existing


def _fill(owner, municipalities, rng: random.Random) -> None:
    phases = list(LifePhase.objects.values_list("pk", "age_from", "age_to"))
    fields = list(FieldOfAction.objects.values_list("pk", flat=True))
    areas = _areas(municipalities)
    now = timezone.now().isoformat()
    today = timezone.localdate()
    offerings = io.StringIO()
    plans = []  # (phases, field, areas, municipality) per offering, in COPY order
    for municipality in municipalities:
        for number in range(PER_MUNICIPALITY):
            title, description = rng.choice(KINDS)
            chosen = rng.sample(phases, rng.choice([1, 1, 2]))
            age_from = min(p[1] for p in chosen)
            age_to = max(p[2] for p in chosen)
            if rng.random() < 0.15:
                age_from, age_to = "\\N", "\\N"  # open to every age
            is_free = rng.random() < 0.7
            languages = "{" + ",".join(rng.choice(LANGUAGE_SETS)) + "}"
            confirmed = today.replace(day=1).isoformat()
            offerings.write(
                f"{municipality.pk}\t{title} {municipality.short_name} {number + 1}\t"
                f"{description}\t{age_from}\t{age_to}\tdienstags 9–11 Uhr\t"
                f"{'t' if is_free else 'f'}\t{'' if is_free else '3 € je Treffen'}\t"
                f"{languages}\t\tKoordination\tangebote@example.org\t0211 1234\t\t"
                f"published\t{confirmed}\t{owner.pk}\t{now}\t{now}\t1\n"
            )
            own_areas = areas.get(municipality.pk, [])
            served = (
                rng.sample(own_areas, min(len(own_areas), rng.choice([0, 1, 2])))
                if (number % 2)
                else []
            )
            plans.append(([p[0] for p in chosen], rng.choice(fields), served, municipality))
    with connection.cursor() as cursor:
        _copy(
            cursor,
            "prevention_chains_offering",
            "municipality_id, title, description, age_from, age_to, schedule, is_free,"
            " cost_note, languages, accessibility, contact_name, contact_email, contact_phone,"
            " website, status, last_confirmed_on, created_by_id, created_at, updated_at, version",
            offerings,
        )
        cursor.execute(
            "SELECT id FROM prevention_chains_offering WHERE created_by_id = %s ORDER BY id",
            [owner.pk],
        )
        ids = [row[0] for row in cursor.fetchall()]
        phase_rows, field_rows, area_rows, location_rows = (io.StringIO() for _ in range(4))
        for offering_id, (phase_ids, field_id, served, municipality) in zip(
            ids, plans, strict=True
        ):
            for phase_id in phase_ids:
                phase_rows.write(f"{offering_id}\t{phase_id}\n")
            field_rows.write(f"{offering_id}\t{field_id}\n")
            for area_id in served:
                area_rows.write(f"{offering_id}\t{area_id}\n")
            location_rows.write(
                f"{offering_id}\tFamilienzentrum\tMarktplatz 1\t{municipality.postcode or '40210'}"
                f"\t{municipality.short_name}\n"
            )
        _copy(
            cursor,
            "prevention_chains_offering_life_phases",
            "offering_id, lifephase_id",
            phase_rows,
        )
        _copy(
            cursor,
            "prevention_chains_offering_fields_of_action",
            "offering_id, fieldofaction_id",
            field_rows,
        )
        _copy(
            cursor,
            "prevention_chains_offering_sozialraeume",
            "offering_id, sozialraum_id",
            area_rows,
        )
        _copy(
            cursor,
            "prevention_chains_offeringlocation",
            "offering_id, name, street, postcode, city",
            location_rows,
        )
