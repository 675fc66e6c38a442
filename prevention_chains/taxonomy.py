"""The programme's default taxonomies (issue 5 §2). The state office maintains them afterwards;
loading the defaults again adds what is missing and never overwrites an edited term."""

# (slug, name, age_from, age_to, is_transition): ages in years, [from, to). Pregnancy and birth
# count the children under one, the nearest figure population statistics give for it.
LIFE_PHASES = [
    ("schwangerschaft-geburt", "Schwangerschaft und Geburt", 0, 1, False),
    ("fruehe-hilfen", "0–3 Frühe Hilfen", 0, 3, False),
    ("kita", "3–6 Kita", 3, 6, False),
    ("uebergang-kita-grundschule", "Übergang Kita–Grundschule", 5, 7, True),
    ("grundschule", "6–10 Grundschule", 6, 10, False),
    ("uebergang-weiterfuehrende-schule", "Übergang weiterführende Schule", 9, 11, True),
    ("sekundarstufe-1", "10–16 Sekundarstufe I", 10, 16, False),
    ("uebergang-schule-beruf", "Übergang Schule–Beruf", 15, 18, True),
]

FIELDS_OF_ACTION = [
    ("gesundheit", "Gesundheit"),
    ("bildung", "Bildung"),
    ("kinder-jugendhilfe", "Kinder- und Jugendhilfe"),
    ("soziales", "Soziales"),
    ("sport-freizeit", "Sport und Freizeit"),
    ("kultur", "Kultur"),
    ("familie", "Familie"),
]

TARGET_GROUPS = [
    ("alle-familien", "Alle Kinder und Familien"),
    ("werdende-eltern", "Schwangere und werdende Eltern"),
    ("alleinerziehende", "Alleinerziehende"),
    ("zugewanderte", "Zugewanderte und geflüchtete Familien"),
    ("armutslagen", "Familien in Armutslagen"),
    ("behinderung", "Kinder mit Behinderung oder Entwicklungsverzögerung"),
    ("belastete-eltern", "Kinder psychisch oder suchtkranker Eltern"),
    ("jugendliche", "Jugendliche"),
    ("fachkraefte", "Fachkräfte"),
]

ACTOR_TYPES = [
    ("jugendamt", "Jugendamt"),
    ("gesundheitsamt", "Gesundheitsamt"),
    ("sozialamt", "Sozialamt"),
    ("kita", "Kita"),
    ("schule", "Schule"),
    ("familienzentrum", "Familienzentrum"),
    ("sportverein", "Sportverein"),
    ("polizei", "Polizei"),
    ("arztpraxis", "Arztpraxis"),
    ("hebamme", "Hebamme"),
    ("klinik", "Klinik"),
    ("jobcenter", "Jobcenter"),
    ("agentur-fuer-arbeit", "Agentur für Arbeit"),
    ("beratungsstelle", "Beratungsstelle"),
    ("freier-traeger", "freier Träger"),
    ("kultur-bildung", "Bibliothek, Musikschule, Kultureinrichtung"),
    ("religionsgemeinschaft", "Religionsgemeinschaft"),
    ("verein", "Verein oder Initiative"),
    ("sonstige", "Sonstige"),
]


def load_defaults(life_phase, field_of_action, target_group, actor_type) -> int:
    """Create the default terms that are missing (by slug); returns how many were created.

    Takes the model classes so that a data migration can pass its historical models."""
    created = 0
    for position, (slug, name, age_from, age_to, transition) in enumerate(LIFE_PHASES, 1):
        _, new = life_phase.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "position": position,
                "age_from": age_from,
                "age_to": age_to,
                "is_transition": transition,
            },
        )
        created += new
    for model, terms in (
        (field_of_action, FIELDS_OF_ACTION),
        (target_group, TARGET_GROUPS),
        (actor_type, ACTOR_TYPES),
    ):
        for position, (slug, name) in enumerate(terms, 1):
            _, new = model.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )
            created += new
    return created
