"""The prevention-chain world the browser tests share, on top of the personas.

Kommune A (two Sozialräume with 3,000 children in each of the phases 0–3 and 3–6):

| Handlungsfeld \\ Lebensphase | 0–3 Frühe Hilfen | 3–6 Kita |
|---|---|---|
| Familie | 4 (two of them twins) | 1 – dünn besetzt |
| Gesundheit | 1 – dünn besetzt | 0 – Lücke |

plus a draft (counts nowhere), the actors' network of tests/prevention_chains/actors_world.py,
a need index with values for both Sozialräume, an adopted Leitbild with a measured goal and a
draft of the next version, a finished chain PDF, a published and a proposed good-practice entry.
Kommune B has nothing of its own but a published good practice („Café Kinderwagen“, for A to
adopt) and a published homework club for older children in Turkish.

Taxonomy terms come from the factories (get-or-create by slug), never from the seeded rows; if
those are still there, the matrix has more columns and rows, all of them gaps."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts.models import DocumentStatus
from prevention_chains.models import (
    ChainDocument,
    DocumentKind,
    GoodPracticeStatus,
    LeitbildStatus,
    OfferingStatus,
)
from tests.factories_chains import (
    FieldOfActionFactory,
    GoalIndicatorFactory,
    GoodPracticeFactory,
    LeitbildFactory,
    LeitbildGoalFactory,
    LifePhaseFactory,
    OfferingFactory,
    OfferingLocationFactory,
    TargetGroupFactory,
)
from tests.factories_monitoring import (
    IndicatorFactory,
    NeedIndexComponentFactory,
    NeedIndexFactory,
    ObservationFactory,
    SozialraumFactory,
)
from tests.prevention_chains import actors_world, good_practice_world
from tests.prevention_chains.chain_world import people

TWIN_TEXT = "Offener Treff für Eltern mit Babys: Austausch, Beratung durch die Familienhebamme."


@dataclass
class ChainsWorld:
    personas: object
    actors: object  # actors_world.World
    early: object
    kita: object
    family: object
    health: object
    group: object
    nord: object
    sued: object
    twins: tuple
    thin_health: object  # the only offering in (0–3, Gesundheit)
    draft: object
    babytreff: object  # published, 0–3, Turkish: what the finder must find
    babytreff_draft: object  # the same, as a draft: what it must not find
    leitbild: object  # adopted
    leitbild_draft: object
    goal: object  # of the draft
    document: object
    entry_a: object  # published good practice of A
    proposed_a: object  # A's proposal waiting for the state office
    entry_b: object  # published good practice of B


def _offering(municipality, title, phases, fields, **values):
    return OfferingFactory(
        municipality=municipality,
        title=title,
        life_phases=list(phases),
        fields_of_action=list(fields),
        **values,
    )


def build(personas) -> ChainsWorld:
    a, b = personas.municipality_a, personas.municipality_b
    coordinator = personas.coordinator_a
    actors = actors_world.build_world(personas)
    early = LifePhaseFactory(slug="fruehe-hilfen", name="0–3 Frühe Hilfen", age_from=0, age_to=3)
    kita = LifePhaseFactory(slug="kita", name="3–6 Kita", age_from=3, age_to=6)
    family = FieldOfActionFactory(slug="familie", name="Familie")
    health = FieldOfActionFactory(slug="gesundheit", name="Gesundheit")
    group = TargetGroupFactory(slug="alleinerziehende", name="Alleinerziehende")
    nord = SozialraumFactory(municipality=a, code="01", name="Nord")
    sued = SozialraumFactory(municipality=a, code="02", name="Süd")
    for area in (nord, sued):
        people(area, 2023, [(0, 6, 3000), (6, 18, 6000)])

    twins = (
        _offering(
            a, "Elterncafé im Familienzentrum Nord", [early], [family], description=TWIN_TEXT
        ),
        _offering(a, "Eltern-Café Familienzentrum Nord", [early], [family], description=TWIN_TEXT),
    )
    swimming = _offering(a, "Babyschwimmen im Hallenbad", [early], [family], age_from=0, age_to=2)
    babytreff = _offering(
        a,
        "Babytreff auf Türkisch",
        [early],
        [family],
        age_from=0,
        age_to=3,
        languages=["de", "tr"],
        description="Eltern mit Babys treffen sich, auf Deutsch und Türkisch.",
        target_groups=[group],
        sozialraeume=[sued],  # Nord: the highest need and fewer offerings
    )
    OfferingLocationFactory(offering=babytreff)
    babytreff_draft = _offering(
        a,
        "Babytreff am Samstag",
        [early],
        [family],
        status=OfferingStatus.DRAFT,
        age_from=0,
        age_to=3,
        languages=["tr"],
    )
    thin_health = _offering(a, "Hebammensprechstunde", [early], [health], provider=actors.kita)
    _offering(a, "Sprachförderung in der Kita", [kita], [family])
    draft = _offering(a, "Krabbelgruppe", [early], [family], status=OfferingStatus.DRAFT)
    _offering(
        b,
        "Hausaufgabenhilfe auf Türkisch",
        [kita],
        [family],
        age_from=6,
        age_to=10,
        languages=["tr"],
    )

    indicator = IndicatorFactory(code="SGB2_U15", name="SGB-II-Quote unter 15")
    for area, numerator in ((nord, 90), (sued, 30)):
        ObservationFactory(
            indicator=indicator, sozialraum=area, numerator=Decimal(numerator), denominator=300
        )
    need_index = NeedIndexFactory(municipality=a, name="Kinderarmut", created_by=coordinator)
    NeedIndexComponentFactory(need_index=need_index, indicator=indicator)

    leitbild = LeitbildFactory(
        municipality=a,
        number=1,
        adopted=True,
        title="Gemeinsam stark für Kinder",
        council_decision_ref="Rat, Drucksache 12/2025",
        created_by=coordinator,
    )
    adopted_goal = LeitbildGoalFactory(leitbild=leitbild, title="Armut senken", position=1)
    GoalIndicatorFactory(goal=adopted_goal, indicator=indicator, baseline_year=2021)
    leitbild_draft = LeitbildFactory(
        municipality=a,
        number=2,
        status=LeitbildStatus.DRAFT,
        title="Gemeinsam stark für Kinder (Fortschreibung)",
        created_by=coordinator,
    )
    goal = LeitbildGoalFactory(leitbild=leitbild_draft, title="Armut senken", position=1)
    GoalIndicatorFactory(goal=goal, indicator=indicator, baseline_year=2021)

    document = ChainDocument.objects.create(
        municipality=a,
        kind=DocumentKind.CHAIN,
        requested_by=coordinator,
        status=DocumentStatus.DONE,
        progress=100,
    )
    document.file.save(f"kette-{document.pk}.pdf", ContentFile(b"%PDF-1.7 Probe"))

    def entry(offering, **values):
        made = GoodPracticeFactory(
            offering=offering, life_phases=[early], fields_of_action=[family], **values
        )
        made.target_groups.set([group])
        return made

    terms = good_practice_world.Terms(early, kita, family, health, group)
    origin_b = good_practice_world.origin_offering(b, terms, title="Café Kinderwagen")
    return ChainsWorld(
        personas=personas,
        actors=actors,
        early=early,
        kita=kita,
        family=family,
        health=health,
        group=group,
        nord=nord,
        sued=sued,
        twins=twins,
        thin_health=thin_health,
        draft=draft,
        babytreff=babytreff,
        babytreff_draft=babytreff_draft,
        leitbild=leitbild,
        leitbild_draft=leitbild_draft,
        goal=goal,
        document=document,
        entry_a=entry(swimming, published=True),
        proposed_a=entry(thin_health, status=GoodPracticeStatus.PROPOSED),
        entry_b=entry(origin_b, published=True, summary="Offener Treff für Eltern mit Babys."),
    )
