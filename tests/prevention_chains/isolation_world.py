"""Municipality A with one of everything of the prevention chain (issue 5), for the permission
matrix in test_isolation.py: a snapshot of every prevention-chain row tells whether a refused
request changed anything."""

from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import DocumentStatus
from monitoring.models import ImportStatus
from prevention_chains.models import (
    Adoption,
    ChainDocument,
    DocumentKind,
    OfferingImport,
    OfferingImportIssue,
    OfferingStatus,
)
from tests.factories import MunicipalityFactory
from tests.factories_chains import (
    ActorFactory,
    ActorTypeFactory,
    CooperationLinkFactory,
    FieldOfActionFactory,
    GoalIndicatorFactory,
    GoodPracticeFactory,
    LeitbildFactory,
    LeitbildGoalFactory,
    LifePhaseFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OfferingFactory,
    OfferingLocationFactory,
    TargetGroupFactory,
)


@dataclass
class IsolationWorld:
    municipality: object
    phase: object
    field: object
    group: object
    actor_type: object
    leitbild_adopted: object
    leitbild_draft: object
    goal: object
    goal_indicator: object
    actor: object
    partner: object
    network: object
    membership: object
    link: object
    offering: object  # published, not proposed: the one to propose
    draft_offering: object
    proposed_entry: object
    published_entry: object
    adopted_offering: object
    offering_import: object
    document: object


def build(personas) -> IsolationWorld:
    a = personas.municipality_a
    coordinator = personas.coordinator_a
    terms = {
        "phase": LifePhaseFactory(slug="iso-fruehe-hilfen", name="0–3 Frühe Hilfen (Iso)"),
        "field": FieldOfActionFactory(slug="iso-familie", name="Familie (Iso)"),
        "group": TargetGroupFactory(slug="iso-eltern", name="Eltern (Iso)"),
        "actor_type": ActorTypeFactory(slug="iso-traeger", name="Freier Träger (Iso)"),
    }
    classified = {"life_phases": [terms["phase"]], "fields_of_action": [terms["field"]]}

    adopted = LeitbildFactory(municipality=a, number=1, adopted=True, created_by=coordinator)
    GoalIndicatorFactory(goal=LeitbildGoalFactory(leitbild=adopted))
    draft = LeitbildFactory(municipality=a, number=2, created_by=coordinator)
    goal = LeitbildGoalFactory(leitbild=draft)
    goal_indicator = GoalIndicatorFactory(goal=goal)

    actor = ActorFactory(municipality=a, actor_type=terms["actor_type"])
    partner = ActorFactory(municipality=a, actor_type=terms["actor_type"])
    network = NetworkFactory(municipality=a)
    membership = NetworkMembershipFactory(network=network, actor=actor)
    link = CooperationLinkFactory(actor_a=actor, actor_b=partner)

    def offering(**fields):
        return OfferingFactory(municipality=a, created_by=coordinator, **classified, **fields)

    published = offering(title="Elterncafé", provider=actor, target_groups=[terms["group"]])
    OfferingLocationFactory(offering=published)
    draft_offering = offering(title="Babymassage (Entwurf)", status=OfferingStatus.DRAFT)
    proposed_entry = GoodPracticeFactory(
        offering=offering(title="Familienpatenschaften"), proposed_by=coordinator, **classified
    )
    published_entry = GoodPracticeFactory(
        offering=offering(title="Café Kinderwagen"),
        proposed_by=coordinator,
        published=True,
        **classified,
    )

    # A adopted the good practice of a third municipality: a draft with its adoption row.
    origin = GoodPracticeFactory(
        offering=OfferingFactory(municipality=MunicipalityFactory(), **classified),
        published=True,
        **classified,
    )
    adopted_offering = offering(
        title=origin.title, status=OfferingStatus.DRAFT, adopted_from=origin
    )
    Adoption.objects.create(
        good_practice=origin, municipality=a, offering=adopted_offering, adopted_by=coordinator
    )

    batch = OfferingImport.objects.create(
        municipality=a,
        uploaded_by=coordinator,
        file=ContentFile(b"Titel;Lebensphasen\nElterncafe;\n", name="angebote.csv"),
        original_name="angebote.csv",
        status=ImportStatus.CHECKED,
        total_rows=1,
        error_rows=1,
    )
    OfferingImportIssue.objects.create(
        batch=batch, line=2, column="Lebensphasen", message="Bitte eine Lebensphase angeben."
    )
    document = ChainDocument.objects.create(
        municipality=a,
        kind=DocumentKind.CHAIN,
        requested_by=coordinator,
        status=DocumentStatus.DONE,
        progress=100,
        file=ContentFile(b"%PDF-1.4 Kette", name="kette.pdf"),
        finished_at=timezone.now(),
    )
    return IsolationWorld(
        municipality=a,
        **terms,
        leitbild_adopted=adopted,
        leitbild_draft=draft,
        goal=goal,
        goal_indicator=goal_indicator,
        actor=actor,
        partner=partner,
        network=network,
        membership=membership,
        link=link,
        offering=published,
        draft_offering=draft_offering,
        proposed_entry=proposed_entry,
        published_entry=published_entry,
        adopted_offering=adopted_offering,
        offering_import=batch,
        document=document,
    )


def snapshot() -> dict:
    """Every row of every prevention-chain table (many-to-many tables included), every column
    (version and updated_at too: a refused request must not even save unchanged values)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("prevention_chains").get_models(include_auto_created=True)
    }
