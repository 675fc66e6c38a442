"""Demo Leitbild and prevention chain (`seed_demo`) for the demo coordinator's Kreis Lippe, plus
the good-practice exchange between participants.

Kreis Lippe gets an adopted Leitbild (four goals measured by the demo monitoring indicators) and
a draft of its next version, 17 actors in two networks with cooperation links, and 41 offerings.
Some weaknesses are there on purpose, so that the analyses have something to find: an isolated
actor, no cooperation across the transition Kita–Grundschule, two offerings not confirmed for two
years, a pair of near-duplicate offerings and empty cells such as „Übergang Schule–Beruf“ ×
„Kultur“. Kreis Herford shares its „Café Kinderwagen“ as published good practice, which a third
participant (Bielefeld, if it takes part) has adopted; a proposal of Kreis Lippe awaits the
state office's decision.

Targets of the goal indicators are set relative to what the demo observations show, so that
the traffic lights come out mixed: reached, behind schedule, going the wrong way, no data.

Idempotent: every record is found by its natural key and created only when missing; the
Leitbild is left alone as soon as the Kreis has any. Names, addresses and contacts are invented
(example.org, 0000 numbers). Written with the ORM, not the services: the demo is a snapshot of
a chain as coordinators would have built it over years, with dates in the past.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from monitoring.catalogue import load_catalogue
from monitoring.models import Indicator, Observation, ObservationStatus
from municipalities.models import Municipality, Participation, Sozialraum
from prevention_chains.models import (
    Actor,
    ActorType,
    Adoption,
    CooperationKind,
    CooperationLink,
    FieldOfAction,
    GoalIndicator,
    GoodPractice,
    GoodPracticeStatus,
    Leitbild,
    LeitbildGoal,
    LeitbildStatus,
    LifePhase,
    Network,
    NetworkKind,
    NetworkMembership,
    Offering,
    OfferingLocation,
    OfferingStatus,
    TargetGroup,
)
from prevention_chains.taxonomy import load_defaults

BIELEFELD = "05711"  # the preferred adopter of the demo good practice (a neighbour of both)

# town: (postcode, latitude, longitude) – town centres, for the finder's map
TOWNS = {
    "Detmold": ("32756", "51.938300", "8.879200"),
    "Lemgo": ("32657", "52.028000", "8.901700"),
    "Bad Salzuflen": ("32105", "52.086600", "8.745000"),
    "Lage": ("32791", "51.992000", "8.792000"),
    "Blomberg": ("32825", "51.943000", "9.090000"),
    "Horn-Bad Meinberg": ("32805", "51.870000", "8.970000"),
    "Oerlinghausen": ("33813", "51.955000", "8.664000"),
    "Extertal": ("32699", "52.060000", "9.100000"),
    "Herford": ("32052", "52.114000", "8.673000"),
    "Bielefeld": ("33602", "52.020000", "8.532000"),
}


@dataclass(frozen=True)
class DemoActor:
    key: str  # short handle used by the tables below, also the mailbox name
    name: str
    actor_type: str  # ActorType slug
    town: str
    street: str
    contact: str  # a function, never a person's name
    phases: tuple[str, ...]
    description: str = ""


# Demo Sozialräume (seed_demo's monitoring demo): N1–N4 Bezirk Nord, S1–S4 Bezirk Süd, west to
# east. Towns are placed roughly where they lie: N1 Bad Salzuflen, N2 Lage, N3 Lemgo,
# N4 Extertal, S1 Oerlinghausen, S2 Detmold, S3 Blomberg/Horn-Bad Meinberg.
ALL_PHASES = (
    "schwangerschaft-geburt",
    "fruehe-hilfen",
    "kita",
    "uebergang-kita-grundschule",
    "grundschule",
    "uebergang-weiterfuehrende-schule",
    "sekundarstufe-1",
    "uebergang-schule-beruf",
)
EARLY = ("schwangerschaft-geburt", "fruehe-hilfen")
SCHOOL = ("grundschule", "uebergang-weiterfuehrende-schule")

ACTORS = (
    DemoActor(
        "jugendamt",
        "Jugendamt Kreis Lippe",
        "jugendamt",
        "Detmold",
        "Felix-Fechenbach-Straße 5",
        "Koordination Präventionskette",
        (*EARLY, "sekundarstufe-1", "uebergang-schule-beruf"),
        "Träger der öffentlichen Jugendhilfe; koordiniert die Präventionskette, die Frühen "
        "Hilfen und die offene Jugendarbeit.",
    ),
    DemoActor(
        "gesundheitsamt",
        "Gesundheitsamt Kreis Lippe",
        "gesundheitsamt",
        "Detmold",
        "Felix-Fechenbach-Straße 5",
        "Kinder- und Jugendgesundheitsdienst",
        (*EARLY, "kita", "uebergang-kita-grundschule"),
        "Schuleingangsuntersuchungen, Familienhebammen, Zahngesundheit.",
    ),
    DemoActor(
        "hebammen",
        "Hebammenpraxis Lebensanfang",
        "hebamme",
        "Bad Salzuflen",
        "Parkstraße 12",
        "Praxisteam",
        EARLY,
    ),
    DemoActor(
        "geburtsklinik",
        "Geburtsklinik Lippe-Süd",
        "klinik",
        "Detmold",
        "Am Klinikpark 3",
        "Elternschule",
        EARLY,
    ),
    DemoActor(
        "fz-sonnenblume",
        "Familienzentrum Sonnenblume",
        "familienzentrum",
        "Detmold",
        "Lindenweg 8",
        "Leitung Familienzentrum",
        ("fruehe-hilfen", "kita"),
    ),
    DemoActor(
        "fz-am-wall",
        "Familienzentrum Am Wall",
        "familienzentrum",
        "Lemgo",
        "Am Wall 21",
        "Leitung Familienzentrum",
        ("fruehe-hilfen", "kita"),
    ),
    DemoActor(
        "familienbildung",
        "Familienbildungsstätte Detmold",
        "freier-traeger",
        "Detmold",
        "Bruchstraße 30",
        "Programmplanung",
        ("fruehe-hilfen", "uebergang-weiterfuehrende-schule"),
    ),
    DemoActor(
        "kita-pusteblume",
        "Kita Pusteblume",
        "kita",
        "Lage",
        "Blumenstraße 4",
        "Kita-Leitung",
        ("kita",),
    ),
    DemoActor(
        "kita-fuechse",
        "Kita Kleine Füchse",
        "kita",
        "Blomberg",
        "Fuchsweg 2",
        "Kita-Leitung",
        ("kita",),
    ),
    DemoActor(
        "gs-lindenplatz",
        "Grundschule Am Lindenplatz",
        "schule",
        "Detmold",
        "Lindenplatz 1",
        "Schulleitung",
        SCHOOL,
    ),
    DemoActor(
        "gs-bergschule",
        "Bergschule Lemgo (Grundschule)",
        "schule",
        "Lemgo",
        "Bergstraße 15",
        "Schulleitung",
        SCHOOL,
    ),
    DemoActor(
        "gesamtschule",
        "Gesamtschule Lippe-Mitte",
        "schule",
        "Lemgo",
        "Schulzentrum 1",
        "Abteilungsleitung Klassen 5–7",
        ("uebergang-weiterfuehrende-schule", "sekundarstufe-1", "uebergang-schule-beruf"),
    ),
    DemoActor(
        "tus",
        "TuS Lippe 1908 e. V.",
        "sportverein",
        "Lage",
        "Sportplatzweg 7",
        "Jugendwart",
        ("grundschule", "sekundarstufe-1"),
    ),
    DemoActor(
        "jobcenter",
        "Jobcenter Lippe",
        "jobcenter",
        "Detmold",
        "Wittekindstraße 2",
        "Beauftragte für Chancengleichheit",
        ("fruehe-hilfen", "uebergang-schule-beruf"),
    ),
    DemoActor(
        "beratung",
        "Erziehungs- und Familienberatung Lippe",
        "beratungsstelle",
        "Detmold",
        "Hornsche Straße 40",
        "Teamleitung",
        ("schwangerschaft-geburt", "kita", "grundschule", "sekundarstufe-1"),
    ),
    DemoActor(
        "bibliothek",
        "Stadtbibliothek Lage",
        "kultur-bildung",
        "Lage",
        "Marktplatz 3",
        "Kinder- und Jugendbibliothek",
        ("kita", "grundschule"),
    ),
    # Deliberately isolated: in no network and without any cooperation link.
    DemoActor(
        "elterninitiative",
        "Elterninitiative Spielraum Oerlinghausen e. V.",
        "verein",
        "Oerlinghausen",
        "Am Spielplatz 1",
        "Vorstand",
        ("kita", "grundschule"),
        "Betreibt einen Abenteuerspielplatz mit offenen Nachmittagen.",
    ),
)

# (network name, kind, rhythm, life phases, founded, [(actor key, role)])
NETWORKS = (
    (
        "Netzwerk Frühe Hilfen",
        NetworkKind.NETWORK,
        "viermal im Jahr",
        EARLY,
        date(2013, 3, 1),
        (
            ("jugendamt", "Netzwerkkoordination"),
            ("gesundheitsamt", "stellvertretende Koordination"),
            ("hebammen", ""),
            ("geburtsklinik", ""),
            ("fz-sonnenblume", ""),
            ("fz-am-wall", ""),
            ("familienbildung", ""),
            ("beratung", ""),
            ("jobcenter", ""),
        ),
    ),
    (
        "Steuerungsgruppe Präventionskette",
        NetworkKind.STEERING_GROUP,
        "halbjährlich",
        ALL_PHASES,
        date(2017, 9, 1),
        (
            ("jugendamt", "Vorsitz"),
            ("gesundheitsamt", ""),
            ("jobcenter", ""),
            ("gesamtschule", "für die Schulen"),
            ("fz-sonnenblume", "für die Familienzentren"),
            ("tus", "für die Sportvereine"),
        ),
    ),
)

# (actor key, actor key, kind, since, note). On purpose, no actor working with Kita children
# (phase Kita or Übergang Kita–Grundschule, declared or through its offerings) cooperates with one
# working with Grundschule children, so the network view finds the transition Kita–Grundschule
# without a cooperation. Actors on both sides (Gesundheitsamt, Beratung, Bibliothek) only
# cooperate with actors outside both; the Jugendamt works in neither phase itself.
AGREEMENT, EXCHANGE, CASES = (
    CooperationKind.AGREEMENT,
    CooperationKind.EXCHANGE,
    CooperationKind.CASE_CONSULTATION,
)
LINKS = (
    ("jugendamt", "gesundheitsamt", AGREEMENT, date(2013, 3, 1), "Frühe Hilfen"),
    ("jugendamt", "fz-sonnenblume", AGREEMENT, date(2016, 1, 1), ""),
    ("jugendamt", "fz-am-wall", AGREEMENT, date(2016, 1, 1), ""),
    ("jugendamt", "beratung", CASES, date(2014, 6, 1), "anonymisierte Fallberatung"),
    ("jugendamt", "gs-lindenplatz", CASES, date(2019, 8, 1), "Schulsozialarbeit"),
    ("jugendamt", "jobcenter", EXCHANGE, date(2018, 2, 1), ""),
    ("gesundheitsamt", "hebammen", EXCHANGE, date(2015, 5, 1), ""),
    ("gesundheitsamt", "geburtsklinik", AGREEMENT, date(2017, 1, 1), "Babylotsen"),
    ("hebammen", "geburtsklinik", CASES, date(2017, 1, 1), ""),
    ("hebammen", "fz-sonnenblume", EXCHANGE, date(2018, 9, 1), "Hebammensprechstunde"),
    ("familienbildung", "fz-sonnenblume", EXCHANGE, date(2017, 9, 1), "Kursprogramm"),
    ("fz-sonnenblume", "kita-pusteblume", EXCHANGE, date(2019, 1, 1), ""),
    ("fz-am-wall", "kita-fuechse", AGREEMENT, date(2020, 8, 1), ""),
    ("beratung", "geburtsklinik", CASES, date(2021, 3, 1), "Schreibaby-Sprechstunde"),
    ("gs-lindenplatz", "tus", AGREEMENT, date(2018, 8, 1), "Sport im offenen Ganztag"),
    ("gs-bergschule", "gesamtschule", EXCHANGE, date(2019, 2, 1), "Schulwechsel"),
    ("gesamtschule", "jobcenter", AGREEMENT, date(2020, 9, 1), "Berufsorientierung"),
    ("bibliothek", "jugendamt", EXCHANGE, date(2022, 4, 1), "Lesestart-Sets zum Willkommensbesuch"),
)


@dataclass(frozen=True)
class DemoOffering:
    title: str
    provider: str  # DemoActor.key; the offering takes place at the provider's address
    phases: tuple[str, ...]
    fields: tuple[str, ...]
    targets: tuple[str, ...]
    ages: tuple[int, int]
    areas: tuple[str, ...]  # Sozialraum codes; empty: the whole Kreis
    description: str
    schedule: str = ""
    languages: tuple[str, ...] = ("de",)
    cost_note: str = ""  # set: not free of charge
    status: str = OfferingStatus.PUBLISHED
    stale: bool = False  # last confirmed two years ago
    place: tuple[str, str, str] | None = None  # (name, town, street) if not at the provider


STALE_AGE = timedelta(days=730)

OFFERINGS = (
    # Schwangerschaft und Geburt
    DemoOffering(
        "Hebammensprechstunde im Familienzentrum",
        "hebammen",
        ("schwangerschaft-geburt",),
        ("gesundheit", "familie"),
        ("werdende-eltern",),
        (0, 1),
        ("N1",),
        "Offene Sprechstunde für Schwangere und junge Eltern ohne eigene Hebamme.",
        "dienstags 9–11 Uhr",
        ("de", "en", "tr"),
    ),
    DemoOffering(
        "Geburtsvorbereitungskurs für Paare",
        "geburtsklinik",
        ("schwangerschaft-geburt",),
        ("gesundheit",),
        ("werdende-eltern",),
        (0, 1),
        ("S2",),
        "Sieben Abende zu Geburt, Wochenbett und den ersten Tagen mit dem Kind.",
        "mittwochs 18–20 Uhr",
        cost_note="Die Krankenkasse übernimmt den Kurs; Partnergebühr 60 €.",
    ),
    DemoOffering(
        "Schwangerschaftsberatung in Leichter Sprache",
        "beratung",
        ("schwangerschaft-geburt",),
        ("soziales",),
        ("werdende-eltern", "behinderung"),
        (0, 1),
        ("S2",),
        "Beratung zu Geld, Rechten und Hilfen rund um die Geburt, auch in Leichter Sprache.",
        "nach Vereinbarung",
    ),
    DemoOffering(
        "Babylotsen in der Geburtsklinik",
        "geburtsklinik",
        ("schwangerschaft-geburt", "fruehe-hilfen"),
        ("gesundheit", "kinder-jugendhilfe"),
        ("werdende-eltern", "belastete-eltern"),
        (0, 1),
        (),
        "Lotsinnen sprechen Familien nach der Geburt an und vermitteln passende Hilfen.",
        "täglich auf der Wochenstation",
        ("de", "ar", "tr", "ru"),
    ),
    # 0–3 Frühe Hilfen
    DemoOffering(
        "Willkommensbesuch für Neugeborene",
        "jugendamt",
        ("fruehe-hilfen",),
        ("kinder-jugendhilfe", "familie"),
        ("alle-familien",),
        (0, 1),
        (),
        "Alle Familien mit einem Neugeborenen erhalten einen Besuch mit Elternbegleitbuch, "
        "Infos zu Angeboten vor Ort und einem kleinen Geschenk.",
        "auf Wunsch zu Hause",
        ("de", "tr", "ar", "uk", "ru"),
    ),
    # The near-duplicate pair: same phase, field and Sozialraum, nearly the same text.
    DemoOffering(
        "Babymassage für Eltern mit Säuglingen",
        "fz-sonnenblume",
        ("fruehe-hilfen",),
        ("gesundheit",),
        ("alle-familien",),
        (0, 1),
        ("S2",),
        "Babymassage für Eltern mit Säuglingen: sanfte Berührungen stärken die Bindung "
        "zwischen Eltern und Baby und helfen bei Unruhe und Bauchweh.",
        "montags 10–11 Uhr",
    ),
    DemoOffering(
        "Babymassage für Eltern und Säuglinge",
        "familienbildung",
        ("fruehe-hilfen",),
        ("gesundheit",),
        ("alle-familien",),
        (0, 1),
        ("S2",),
        "Im Babymassage-Kurs lernen Eltern sanfte Massagegriffe für ihre Säuglinge; das "
        "stärkt die Bindung zum Baby und hilft bei Bauchweh und Unruhe.",
        "donnerstags 10–11 Uhr",
        cost_note="25 € für fünf Termine",
    ),
    DemoOffering(
        "Familienhebammen im ersten Lebensjahr",
        "gesundheitsamt",
        ("fruehe-hilfen",),
        ("gesundheit", "kinder-jugendhilfe"),
        ("belastete-eltern", "alleinerziehende"),
        (0, 1),
        (),
        "Familienhebammen und Kinderkrankenpflegerinnen begleiten belastete Familien zu Hause.",
        "nach Vereinbarung",
        ("de", "tr", "ar"),
    ),
    DemoOffering(
        "Eltern-Kind-Gruppe „Krabbelkäfer“",
        "fz-am-wall",
        ("fruehe-hilfen",),
        ("familie",),
        ("alle-familien",),
        (0, 3),
        ("N3",),
        "Spielen, Singen und Austausch für Eltern mit Kindern bis drei Jahre.",
        "freitags 9:30–11 Uhr",
    ),
    DemoOffering(
        "Eltern-Café für Alleinerziehende",
        "fz-am-wall",
        ("fruehe-hilfen", "kita"),
        ("soziales", "familie"),
        ("alleinerziehende",),
        (0, 6),
        ("N3",),
        "Treffpunkt mit Kinderbetreuung, Frühstück und Beratung zu Unterhalt und Wohngeld.",
        "jeden ersten Samstag im Monat",
        stale=True,
    ),
    DemoOffering(
        "Sprechstunde Frühe Hilfen im Jobcenter",
        "jobcenter",
        ("fruehe-hilfen",),
        ("soziales",),
        ("armutslagen",),
        (0, 3),
        ("S2", "N2"),
        "Fachkräfte der Frühen Hilfen beraten Eltern von Kleinkindern direkt im Jobcenter.",
        "donnerstags 13–15 Uhr",
        ("de", "ar", "uk"),
    ),
    DemoOffering(
        "Spielgruppe für geflüchtete Familien",
        "fz-sonnenblume",
        ("fruehe-hilfen",),
        ("kinder-jugendhilfe",),
        ("zugewanderte",),
        (1, 3),
        ("S2",),
        "Spielgruppe mit Sprachmittlerinnen; Eltern lernen Kitas und Hilfen vor Ort kennen.",
        "mittwochs 15–16:30 Uhr",
        ("de", "ar", "uk", "fa"),
    ),
    DemoOffering(
        "Babyschwimmen",
        "tus",
        ("fruehe-hilfen",),
        ("sport-freizeit",),
        ("alle-familien",),
        (0, 3),
        ("N2",),
        "Wassergewöhnung für Babys und Kleinkinder mit einem Elternteil.",
        "samstags 9–10 Uhr",
        cost_note="48 € für acht Termine",
        status=OfferingStatus.DRAFT,
    ),
    # 3–6 Kita
    DemoOffering(
        "Sprachförderung „Wortschatzkiste“",
        "kita-pusteblume",
        ("kita",),
        ("bildung",),
        ("alle-familien", "zugewanderte"),
        (3, 6),
        ("N2",),
        "Alltagsintegrierte Sprachbildung in Kleingruppen für Kinder mit Förderbedarf.",
        "im Kita-Alltag",
    ),
    DemoOffering(
        "Bewegungskita: Turnen in der Kita",
        "kita-pusteblume",
        ("kita",),
        ("sport-freizeit", "gesundheit"),
        ("alle-familien",),
        (3, 6),
        ("N2",),
        "Einmal pro Woche Turnen, Klettern und Balancieren in der Bewegungshalle der Kita.",
        "dienstags vormittags",
    ),
    DemoOffering(
        "Vorlesepaten in der Kita",
        "bibliothek",
        ("kita",),
        ("kultur", "bildung"),
        ("alle-familien",),
        (3, 6),
        ("N2",),
        "Ehrenamtliche Vorlesepatinnen und -paten lesen in Kitas vor, auch auf Türkisch.",
        "wöchentlich",
        ("de", "tr"),
    ),
    DemoOffering(
        "Elternkurs „Starke Eltern – starke Kinder“",
        "beratung",
        ("kita", "grundschule"),
        ("familie", "kinder-jugendhilfe"),
        ("alle-familien",),
        (3, 10),
        (),
        "Acht Abende zu Erziehung ohne Gewalt, Grenzen setzen und Familienalltag.",
        "montags 19–21 Uhr",
        cost_note="30 €, Ermäßigung möglich",
    ),
    DemoOffering(
        "Zahngesundheit in der Kita",
        "gesundheitsamt",
        ("kita",),
        ("gesundheit",),
        ("alle-familien",),
        (3, 6),
        (),
        "Die Zahnprophylaxe des Gesundheitsamts besucht jede Kita zweimal im Jahr.",
        "nach Absprache mit der Kita",
    ),
    DemoOffering(
        "Heilpädagogische Frühförderung",
        "beratung",
        ("fruehe-hilfen", "kita"),
        ("gesundheit", "soziales"),
        ("behinderung",),
        (0, 6),
        (),
        "Förderung von Kindern mit Entwicklungsverzögerung zu Hause oder in der Kita.",
        "nach Vereinbarung",
    ),
    DemoOffering(
        "Musikgarten für Kita-Kinder",
        "kita-fuechse",
        ("kita",),
        ("kultur",),
        ("alle-familien",),
        (3, 6),
        ("S3",),
        "Singen, Tanzen und erste Instrumente in kleinen Gruppen.",
        "donnerstags 15 Uhr",
        cost_note="12 € im Monat",
    ),
    DemoOffering(
        "Kita-Sozialarbeit im Familienzentrum",
        "fz-sonnenblume",
        ("kita",),
        ("kinder-jugendhilfe", "soziales"),
        ("armutslagen",),
        (3, 6),
        ("S2",),
        "Sozialarbeiterin in der Kita berät Eltern bei Anträgen und Sorgen.",
        status=OfferingStatus.DRAFT,
    ),
    # Übergang Kita–Grundschule
    DemoOffering(
        "Brückenjahr: Schulvorbereitung in der Kita",
        "kita-fuechse",
        ("kita",),
        ("bildung",),
        ("alle-familien",),
        (5, 6),
        ("S3",),
        "Die künftigen Schulkinder üben Zählen, Zuhören und Stillsitzen in der Vorschulgruppe.",
        "zweimal pro Woche",
    ),
    DemoOffering(
        "Elternabend „Bald ein Schulkind“",
        "gesundheitsamt",
        ("uebergang-kita-grundschule",),
        ("familie",),
        ("alle-familien",),
        (5, 7),
        ("N3",),
        "Was Eltern vor der Einschulung wissen sollten – mit der Schulärztin.",
        "einmal im Frühjahr",
        stale=True,
        place=("Familienzentrum Am Wall", "Lemgo", "Am Wall 21"),
    ),
    DemoOffering(
        "Sprachförderung vor der Einschulung",
        "gesundheitsamt",
        ("uebergang-kita-grundschule",),
        ("gesundheit", "bildung"),
        ("zugewanderte",),
        (5, 7),
        (),
        "Kinder mit Auffälligkeiten in der Schuleingangsuntersuchung erhalten gezielte "
        "Sprachförderung bis zur Einschulung.",
        "nach der Schuleingangsuntersuchung",
        ("de", "tr", "ar"),
    ),
    # 6–10 Grundschule
    DemoOffering(
        "Offener Ganztag mit Sportangeboten",
        "gs-lindenplatz",
        ("grundschule",),
        ("sport-freizeit", "bildung"),
        ("alle-familien",),
        (6, 10),
        ("S2",),
        "Nachmittags Sport-AGs mit dem TuS im offenen Ganztag der Grundschule.",
        "montags bis freitags bis 16 Uhr",
        cost_note="Elternbeitrag nach Einkommen",
    ),
    DemoOffering(
        "Schulsozialarbeit an der Grundschule",
        "gs-lindenplatz",
        ("grundschule",),
        ("kinder-jugendhilfe",),
        ("alle-familien",),
        (6, 10),
        ("S2",),
        "Ansprechpartnerinnen für Kinder, Eltern und Lehrkräfte an der Schule.",
        "während der Schulzeit",
    ),
    DemoOffering(
        "Hausaufgabenhilfe im Stadtteil",
        "gs-bergschule",
        ("grundschule",),
        ("bildung", "soziales"),
        ("armutslagen", "zugewanderte"),
        (6, 10),
        ("N3",),
        "Ehrenamtliche helfen bei den Hausaufgaben, mit Imbiss.",
        "montags bis donnerstags 14–16 Uhr",
        ("de", "ar"),
    ),
    DemoOffering(
        "Schwimmkurs „Seepferdchen für alle“",
        "tus",
        ("grundschule",),
        ("sport-freizeit",),
        ("armutslagen",),
        (6, 10),
        ("N2",),
        "Kostenfreie Schwimmkurse für Kinder, die noch nicht schwimmen können.",
        "in den Ferien",
    ),
    DemoOffering(
        "Ferienleseclub in der Stadtbibliothek",
        "bibliothek",
        ("grundschule",),
        ("kultur",),
        ("alle-familien",),
        (6, 10),
        ("N2",),
        "Lesen, Basteln und eine Abschlussparty in den Sommerferien.",
        "Sommerferien",
    ),
    DemoOffering(
        "Gruppe für Kinder psychisch kranker Eltern",
        "beratung",
        ("grundschule", "sekundarstufe-1"),
        ("gesundheit", "kinder-jugendhilfe"),
        ("belastete-eltern",),
        (6, 14),
        (),
        "Kinder sprechen in einer geschützten Gruppe über die Krankheit ihrer Eltern.",
        "alle zwei Wochen mittwochs",
    ),
    DemoOffering(
        "Beratung zu Bildung und Teilhabe",
        "jobcenter",
        ("grundschule", "sekundarstufe-1"),
        ("soziales",),
        ("armutslagen",),
        (6, 18),
        (),
        "Hilfe beim Antrag auf Leistungen für Klassenfahrten, Lernförderung und Vereine.",
        "dienstags 9–12 Uhr",
        ("de", "ar", "uk", "ru", "tr"),
    ),
    # Übergang weiterführende Schule
    DemoOffering(
        "Schnuppertage an der Gesamtschule",
        "gesamtschule",
        ("uebergang-weiterfuehrende-schule",),
        ("bildung",),
        ("alle-familien",),
        (9, 11),
        ("N3",),
        "Viertklässler lernen die Gesamtschule an zwei Vormittagen kennen.",
        "im Januar",
    ),
    DemoOffering(
        "Lernpaten beim Schulwechsel",
        "familienbildung",
        ("uebergang-weiterfuehrende-schule",),
        ("bildung", "soziales"),
        ("zugewanderte", "armutslagen"),
        (9, 12),
        ("S2",),
        "Ehrenamtliche begleiten Kinder im ersten Jahr an der neuen Schule.",
        status=OfferingStatus.DRAFT,
    ),
    # 10–16 Sekundarstufe I
    DemoOffering(
        "Jugendtreff mit Mittagstisch",
        "jugendamt",
        ("sekundarstufe-1",),
        ("kinder-jugendhilfe", "soziales"),
        ("jugendliche",),
        (10, 16),
        ("S1",),
        "Offener Treff mit warmem Mittagessen, Hausaufgabenraum und Kicker.",
        "montags bis freitags 13–18 Uhr",
        place=("Jugendtreff Oerlinghausen", "Oerlinghausen", "Hauptstraße 50"),
    ),
    DemoOffering(
        "Theater-AG „Bühne frei“",
        "gesamtschule",
        ("sekundarstufe-1",),
        ("kultur",),
        ("jugendliche",),
        (10, 16),
        ("N3",),
        "Jugendliche schreiben und spielen ein eigenes Stück.",
        "mittwochs 14–16 Uhr",
    ),
    DemoOffering(
        "Suchtprävention in Klasse 7",
        "gesundheitsamt",
        ("sekundarstufe-1",),
        ("gesundheit",),
        ("jugendliche",),
        (12, 14),
        (),
        "Projekttag zu Alkohol, Nikotin und Medien an allen weiterführenden Schulen.",
        "nach Absprache mit der Schule",
    ),
    DemoOffering(
        "Fußball für Mädchen",
        "tus",
        ("sekundarstufe-1",),
        ("sport-freizeit",),
        ("jugendliche",),
        (10, 16),
        ("N2",),
        "Training für Mädchen ohne Vorkenntnisse.",
        "freitags 17 Uhr",
        cost_note="8 € im Monat",
    ),
    DemoOffering(
        "Sommer-Ferienfreizeit 2025",
        "jugendamt",
        ("sekundarstufe-1",),
        ("sport-freizeit", "kinder-jugendhilfe"),
        ("jugendliche", "armutslagen"),
        (10, 16),
        (),
        "Zehn Tage an der Nordsee für Jugendliche, deren Familien sich keinen Urlaub leisten.",
        "Juli 2025",
        cost_note="50 €, mit Bildungs- und Teilhabepaket kostenfrei",
        status=OfferingStatus.ENDED,
    ),
    # Übergang Schule–Beruf (nothing in Kultur, on purpose)
    DemoOffering(
        "Berufsorientierung mit dem Jobcenter",
        "jobcenter",
        ("uebergang-schule-beruf",),
        ("bildung", "soziales"),
        ("jugendliche",),
        (14, 18),
        (),
        "Berufsberatung, Praktikumsbörse und Hilfe bei Bewerbungen ab Klasse 8.",
        "nach Vereinbarung",
    ),
    DemoOffering(
        "Bewerbungstraining für Jugendliche",
        "gesamtschule",
        ("uebergang-schule-beruf",),
        ("bildung",),
        ("jugendliche",),
        (15, 18),
        ("N3",),
        "Lebenslauf, Anschreiben und Vorstellungsgespräch üben.",
        "im zweiten Halbjahr der Klasse 9",
    ),
    DemoOffering(
        "Sprechstunde der Jugendberufsagentur",
        "jobcenter",
        ("uebergang-schule-beruf",),
        ("kinder-jugendhilfe", "soziales"),
        ("jugendliche", "zugewanderte"),
        (15, 18),
        ("S2",),
        "Jobcenter, Arbeitsagentur und Jugendamt beraten gemeinsam an einem Ort.",
        "mittwochs 14–17 Uhr",
        ("de", "ar", "uk"),
        status=OfferingStatus.PAUSED,
    ),
)

# Leitbild goals: (title, description, life phases, indicators, sub-goals); sub-goals have no
# sub-goals. An indicator is (code, Sozialraum code or None, baseline year, baseline value used
# when the monitoring has no observation for that year, change to the target, target year).
# The demo monitoring lets U3 care rise by ~1.2 points a year (the target is already reached),
# SGB II among under-15s fall by ~0.3 points (too slowly for the target), language and weight
# problems at school entry rise (the wrong way); no school-leaver figures are recorded at all.
GOALS = (
    (
        "Kinder wachsen gesund auf",
        "Von der Schwangerschaft bis zur Einschulung erreichen gesundheitliche Hilfen alle "
        "Familien, besonders die, die sie am meisten brauchen.",
        (*EARLY, "kita", "uebergang-kita-grundschule"),
        (),
        (
            (
                "Übergewicht bei der Einschulung geht zurück",
                ("kita", "uebergang-kita-grundschule"),
                (("SEU_UEBERGEWICHT", None, 2018, "11.0", "-1.5", 2026),),
            ),
            ("Jede Familie mit einem Neugeborenen erhält ein Willkommensangebot", EARLY, ()),
        ),
    ),
    (
        "Kinder werden von Anfang an gefördert",
        "Gute Betreuung und Sprachbildung vor der Schule gleichen ungleiche Startchancen aus.",
        ("fruehe-hilfen", "kita"),
        (),
        (
            (
                "Mehr Kinder unter drei Jahren besuchen eine Kita oder Tagespflege",
                ("fruehe-hilfen",),
                (("BETREUUNG_U3", None, 2018, "30.0", "5.0", 2026),),
            ),
            (
                "Weniger Kinder kommen mit Sprachauffälligkeiten in die Schule",
                ("kita", "uebergang-kita-grundschule"),
                (("SEU_SPRACHE", None, 2018, "22.0", "-3.0", 2026),),
            ),
        ),
    ),
    (
        "Armut bestimmt nicht die Zukunft eines Kindes",
        "Familien in Armutslagen erfahren früh von Leistungen und Angeboten und nutzen sie.",
        ALL_PHASES,
        (("SGB2_U15", None, 2018, "16.0", "-5.0", 2026),),
        (
            (
                "Kleinkinder im Bezirk Süd Mitte-West erreichen Hilfen früher",
                ("fruehe-hilfen",),
                (("SGB2_U3", "S2", 2018, "18.0", "-2.0", 2026),),
            ),
        ),
    ),
    (
        "Übergänge gelingen – von der Kita bis in den Beruf",
        "Kein Kind geht an einer Schwelle verloren: Einrichtungen übergeben gemeinsam.",
        ("uebergang-kita-grundschule", "uebergang-weiterfuehrende-schule", "sekundarstufe-1"),
        (),
        (
            ("Jede Kita arbeitet verbindlich mit einer Grundschule zusammen", ("kita",), ()),
            (
                "Weniger Jugendliche verlassen die Schule ohne Abschluss",
                ("sekundarstufe-1", "uebergang-schule-beruf"),
                (("OHNE_ABSCHLUSS", None, 2019, "6.8", "-1.8", 2028),),
            ),
        ),
    ),
)
DRAFT_GOAL = (
    "Kinder und Jugendliche reden mit",
    "Kinder und Jugendliche werden an der Planung der Angebote in ihrem Sozialraum beteiligt.",
    ("grundschule", "sekundarstufe-1"),
    (),
    (),
)
LEITBILD_TITLE = "Kein Kind zurücklassen – Leitbild der Präventionskette Kreis Lippe"
LEITBILD_TEXT = (
    "Alle Kinder im Kreis Lippe sollen gesund aufwachsen, gute Bildungschancen haben und am "
    "gesellschaftlichen Leben teilhaben – unabhängig von Herkunft und Einkommen ihrer Eltern. "
    "Jugendhilfe, Gesundheit, Bildung und Soziales arbeiten dafür als Präventionskette "
    "zusammen, von der Schwangerschaft bis zum Beruf."
)

CAFE_KINDERWAGEN = DemoOffering(
    "Café Kinderwagen",
    "fz-herford",
    ("fruehe-hilfen",),
    ("familie", "soziales"),
    ("alle-familien", "alleinerziehende"),
    (0, 3),
    (),
    "Offener Treff für Eltern mit Babys: Frühstück, eine Hebamme und eine Fachkraft der "
    "Frühen Hilfen sind da, ohne Anmeldung und kostenfrei.",
    "mittwochs 9:30–11:30 Uhr",
    ("de", "tr", "ar"),
)
HERFORD_PROVIDER = DemoActor(
    "fz-herford",
    "Familienzentrum Herford-Mitte",
    "familienzentrum",
    "Herford",
    "Gehrenberg 4",
    "Leitung Familienzentrum",
    EARLY,
)


@dataclass
class _Terms:
    phases: dict
    fields: dict
    targets: dict
    actor_types: dict


def _terms() -> _Terms:
    load_defaults(LifePhase, FieldOfAction, TargetGroup, ActorType)
    return _Terms(
        phases={t.slug: t for t in LifePhase.objects.all()},
        fields={t.slug: t for t in FieldOfAction.objects.all()},
        targets={t.slug: t for t in TargetGroup.objects.all()},
        actor_types={t.slug: t for t in ActorType.objects.all()},
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


@transaction.atomic
def seed_prevention_demo(*, coordinator, state_admin, municipality, partner, programme) -> None:
    """Create what is missing of the Leitbild and chain demo of `municipality` (the demo
    coordinator's) and the good practice `partner` shares. The state admin stands in for the
    partner's and the adopter's coordinators, who have no demo login."""
    terms = _terms()
    areas = {
        area.code: area
        for area in Sozialraum.objects.filter(municipality=municipality, valid_to__isnull=True)
    }
    _leitbild(municipality, coordinator, terms, areas)
    actors = {
        demo.key: _actor(municipality, demo, index, terms) for index, demo in enumerate(ACTORS)
    }
    _networks(municipality, actors, terms)
    _links(municipality, actors)
    offerings = {
        demo.title: _offering(municipality, demo, index, actors, terms, areas, coordinator)
        for index, demo in enumerate(OFFERINGS)
    }
    _good_practice(
        offerings["Willkommensbesuch für Neugeborene"], WELCOME_VISIT, proposed_by=coordinator
    )
    _shared_good_practice(partner, programme, municipality, state_admin, terms)


# ---------------------------------------------------------------------------------------------
# Leitbild


def _leitbild(municipality, coordinator, terms: _Terms, areas: dict) -> None:
    if Leitbild.objects.filter(municipality=municipality).exists():
        return  # demo or real – never touch a Leitbild once the Kreis has one
    load_catalogue()  # seed_demo loads it with the monitoring demo; without a boundary it didn't
    adopted = Leitbild.objects.create(
        municipality=municipality,
        number=1,
        title=LEITBILD_TITLE,
        text=LEITBILD_TEXT,
        status=LeitbildStatus.ADOPTED,
        council_decision_on=date(2019, 6, 24),
        council_decision_ref="Kreistag Lippe, Drucksache 0815/2019",
        adopted_at=_at(date(2019, 6, 26)),
        created_by=coordinator,
    )
    _goals(adopted, GOALS, terms, areas)
    draft = Leitbild.objects.create(
        municipality=municipality,
        number=2,
        title=f"{LEITBILD_TITLE} (Fortschreibung 2027)",
        text=LEITBILD_TEXT + " Kinder und Jugendliche selbst gestalten die Präventionskette mit.",
        status=LeitbildStatus.DRAFT,
        created_by=coordinator,
    )
    _goals(draft, (*GOALS, DRAFT_GOAL), terms, areas)


def _goals(leitbild, goals, terms: _Terms, areas: dict) -> None:
    for position, (title, description, phases, indicators, sub_goals) in enumerate(goals, 1):
        goal = _goal(leitbild, None, position, title, phases, indicators, terms, areas)
        goal.description = description
        goal.save(update_fields=["description"])
        for sub_position, (sub_title, sub_phases, sub_indicators) in enumerate(sub_goals, 1):
            _goal(leitbild, goal, sub_position, sub_title, sub_phases, sub_indicators, terms, areas)


def _goal(leitbild, parent, position, title, phases, indicators, terms, areas) -> LeitbildGoal:
    goal = LeitbildGoal.objects.create(
        leitbild=leitbild, parent=parent, position=position, title=title
    )
    goal.life_phases.set([terms.phases[slug] for slug in phases])
    for code, area_code, baseline_year, fallback, change, target_year in indicators:
        indicator = Indicator.objects.catalogue().get(code=code)
        area = areas.get(area_code)
        baseline = _observed(indicator, baseline_year, leitbild.municipality, area)
        baseline = Decimal(fallback) if baseline is None else baseline
        GoalIndicator.objects.create(
            goal=goal,
            indicator=indicator,
            sozialraum=area,
            baseline_year=baseline_year,
            baseline_value=baseline,
            target_value=baseline + Decimal(change),
            target_year=target_year,
        )
    return goal


def _observed(indicator, year, municipality, area) -> Decimal | None:
    """The value of the demo monitoring in a year: summed counts of the area, or of all the
    municipality's smallest areas, as the municipality's total is computed."""
    observations = Observation.objects.filter(
        indicator=indicator, period=year, status=ObservationStatus.REPORTED
    )
    if area is not None:
        observations = observations.filter(sozialraum=area)
    else:
        observations = observations.filter(
            sozialraum__municipality=municipality, sozialraum__children__isnull=True
        )
    counts = observations.aggregate(numerator=Sum("numerator"), denominator=Sum("denominator"))
    if not counts["denominator"]:
        return None
    value = counts["numerator"] / counts["denominator"] * indicator.factor
    return value.quantize(Decimal("0.1"))


# ---------------------------------------------------------------------------------------------
# Actors, networks, cooperation links


def _actor(municipality, demo: DemoActor, index: int, terms: _Terms) -> Actor:
    postcode = TOWNS[demo.town][0]
    actor, created = Actor.objects.get_or_create(
        municipality=municipality,
        name=demo.name,
        defaults={
            "actor_type": terms.actor_types[demo.actor_type],
            "description": demo.description,
            "contact_person": demo.contact,
            "email": f"{demo.key}@example.org",
            "phone": f"0000 0000-{index + 10}",
            "website": f"https://{demo.key}.example.org",
            "street": demo.street,
            "postcode": postcode,
            "city": demo.town,
        },
    )
    if created:
        actor.life_phases.set([terms.phases[slug] for slug in demo.phases])
    return actor


def _networks(municipality, actors: dict, terms: _Terms) -> None:
    for name, kind, rhythm, phases, founded, members in NETWORKS:
        network, created = Network.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"kind": kind, "meeting_rhythm": rhythm},
        )
        if created:
            network.life_phases.set([terms.phases[slug] for slug in phases])
        for key, role in members:
            NetworkMembership.objects.get_or_create(
                network=network, actor=actors[key], defaults={"role": role, "since": founded}
            )


def _links(municipality, actors: dict) -> None:
    for first, second, kind, since, note in LINKS:
        # Links are undirected and stored with the smaller id first (cooperation_pair_ordered).
        actor_a, actor_b = sorted((actors[first], actors[second]), key=lambda actor: actor.pk)
        CooperationLink.objects.get_or_create(
            actor_a=actor_a,
            actor_b=actor_b,
            kind=kind,
            defaults={"municipality": municipality, "since": since, "note": note},
        )


# ---------------------------------------------------------------------------------------------
# Offerings and good practice


def _offering(municipality, demo, index, actors, terms, areas, created_by) -> Offering:
    today = timezone.localdate()
    provider = actors[demo.provider]
    confirmed = None
    if demo.status != OfferingStatus.DRAFT:
        confirmed = today - (STALE_AGE if demo.stale else timedelta(days=7 + 11 * index % 180))
    offering, created = Offering.objects.get_or_create(
        municipality=municipality,
        title=demo.title,
        defaults={
            "description": demo.description,
            "provider": provider,
            "age_from": demo.ages[0],
            "age_to": demo.ages[1],
            "schedule": demo.schedule,
            "is_free": not demo.cost_note,
            "cost_note": demo.cost_note,
            "languages": list(demo.languages),
            "accessibility": "barrierefreier Zugang" if index % 3 else "",
            "contact_name": provider.contact_person,
            "contact_email": provider.email,
            "contact_phone": provider.phone,
            "status": demo.status,
            "last_confirmed_on": confirmed,
            "confirmed_by": created_by if confirmed else None,
            "created_by": created_by,
        },
    )
    if not created:
        return offering
    offering.life_phases.set([terms.phases[slug] for slug in demo.phases])
    offering.fields_of_action.set([terms.fields[slug] for slug in demo.fields])
    offering.target_groups.set([terms.targets[slug] for slug in demo.targets])
    served = [areas[code] for code in demo.areas if code in areas]
    offering.sozialraeume.set(served)
    name, town, street = demo.place or (provider.name, provider.city, provider.street)
    postcode, latitude, longitude = TOWNS[town]
    OfferingLocation.objects.create(
        offering=offering,
        name=name,
        street=street,
        postcode=postcode,
        city=town,
        sozialraum=served[0] if served else None,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
    )
    return offering


@dataclass(frozen=True)
class DemoGoodPractice:
    why_it_works: str
    requirements: str
    proposed_on: date
    decision_note: str = ""  # set: the state office published it two weeks later


WELCOME_VISIT = DemoGoodPractice(
    "Der Besuch erreicht fast alle Familien, auch die, die von sich aus keine Beratung suchen; "
    "Sprachmittlerinnen kommen auf Wunsch mit.",
    "Zwei Fachkräfte (1,5 Stellen) für rund 3.000 Geburten im Jahr; Elternbegleitbuch.",
    date(2026, 10, 30),
)
CAFE_GOOD_PRACTICE = DemoGoodPractice(
    "Niedrigschwellig und verlässlich: Familien kommen ohne Anmeldung, und die Fachkräfte der "
    "Frühen Hilfen lernen sie kennen, bevor Probleme groß werden.",
    "Ein Raum mit Spielecke, eine Hebamme und eine Fachkraft für zwei Stunden pro Woche.",
    date(2025, 11, 3),
    "Gut übertragbar, von mehreren Kommunen nachgefragt.",
)


def _good_practice(offering, demo: DemoGoodPractice, *, proposed_by, decided_by=None):
    """The good-practice entry of an offering, published if the demo has a decision note."""
    entry = GoodPractice.objects.filter(offering=offering).first()
    if entry is not None:
        return entry
    published = bool(demo.decision_note)
    entry = GoodPractice.objects.create(
        offering=offering,
        municipality=offering.municipality,
        title=offering.title,
        summary=offering.description,
        why_it_works=demo.why_it_works,
        requirements=demo.requirements,
        proposed_by=proposed_by,
        status=GoodPracticeStatus.PUBLISHED if published else GoodPracticeStatus.PROPOSED,
        decided_by=decided_by if published else None,
        decided_at=_at(demo.proposed_on + timedelta(days=14)) if published else None,
        decision_note=demo.decision_note,
    )
    # proposed_at is set on creation; backdate it so the library and the queue read plausibly.
    GoodPractice.objects.filter(pk=entry.pk).update(proposed_at=_at(demo.proposed_on))
    _copy_terms(offering, entry)
    return entry


def _copy_terms(source, target) -> None:
    """Phases, fields and target groups, from an offering to its entry and on to a copy."""
    target.life_phases.set(source.life_phases.all())
    target.fields_of_action.set(source.fields_of_action.all())
    target.target_groups.set(source.target_groups.all())


def _shared_good_practice(partner, programme, municipality, state_admin, terms: _Terms) -> None:
    """The partner's published Café Kinderwagen, adopted by a third participant."""
    provider = _actor(partner, HERFORD_PROVIDER, len(ACTORS), terms)
    providers = {HERFORD_PROVIDER.key: provider}
    origin = _offering(partner, CAFE_KINDERWAGEN, 0, providers, terms, {}, state_admin)
    entry = _good_practice(
        origin, CAFE_GOOD_PRACTICE, proposed_by=state_admin, decided_by=state_admin
    )
    adopter = _adopter(programme, exclude=(municipality.pk, partner.pk))
    if (
        adopter is None
        or Adoption.objects.filter(good_practice=entry, municipality=adopter).exists()
    ):
        return
    copy = Offering.objects.create(
        municipality=adopter,
        title=entry.title,
        description=entry.summary,
        age_from=origin.age_from,
        age_to=origin.age_to,
        schedule=origin.schedule,
        is_free=origin.is_free,
        languages=origin.languages,
        status=OfferingStatus.DRAFT,
        adopted_from=entry,
        created_by=state_admin,
    )
    _copy_terms(entry, copy)
    Adoption.objects.create(
        good_practice=entry, municipality=adopter, offering=copy, adopted_by=state_admin
    )


def _adopter(programme, *, exclude) -> Municipality | None:
    """Bielefeld if it takes part, else the participant with the smallest AGS."""
    participants = (
        Municipality.objects.filter(
            pk__in=Participation.objects.filter(programme=programme).values("municipality_id")
        )
        .exclude(pk__in=exclude)
        .order_by("ags")
    )
    return participants.filter(ags=BIELEFELD).first() or participants.first()
