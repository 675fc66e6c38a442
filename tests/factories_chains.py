"""factory_boy factories of Leitbild and prevention chains (shared: add, never rewrite).

Taxonomy factories get-or-create by slug: tests never rely on the rows the data migration
seeds (a transactional test elsewhere may have flushed them)."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from prevention_chains.models import (
    Actor,
    ActorType,
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
from tests.factories import MunicipalityFactory, UserFactory
from tests.factories_monitoring import IndicatorFactory


class _TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    position = factory.Sequence(int)


class LifePhaseFactory(_TermFactory):
    class Meta:
        model = LifePhase

    slug = factory.Sequence(lambda n: f"phase-{n}")
    name = factory.Sequence(lambda n: f"Lebensphase {n}")
    age_from = 0
    age_to = 3


class FieldOfActionFactory(_TermFactory):
    class Meta:
        model = FieldOfAction

    slug = factory.Sequence(lambda n: f"feld-{n}")
    name = factory.Sequence(lambda n: f"Handlungsfeld {n}")


class TargetGroupFactory(_TermFactory):
    class Meta:
        model = TargetGroup

    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")
    name = factory.Sequence(lambda n: f"Zielgruppe {n}")


class ActorTypeFactory(_TermFactory):
    class Meta:
        model = ActorType

    slug = factory.Sequence(lambda n: f"akteurstyp-{n}")
    name = factory.Sequence(lambda n: f"Akteurstyp {n}")


class LeitbildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leitbild

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Kein Kind zurücklassen – unser Leitbild"
    text = "Alle Kinder sollen gesund und gut begleitet aufwachsen."
    status = LeitbildStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)

    class Params:
        adopted = factory.Trait(
            status=LeitbildStatus.ADOPTED,
            council_decision_on=date(2025, 3, 20),
            adopted_at=factory.LazyFunction(timezone.now),
        )


class LeitbildGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeitbildGoal

    leitbild = factory.SubFactory(LeitbildFactory)
    title = factory.Sequence(lambda n: f"Ziel {n}: Kinder wachsen gesund auf")
    position = factory.Sequence(int)


class GoalIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalIndicator

    goal = factory.SubFactory(LeitbildGoalFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    baseline_year = 2020
    baseline_value = Decimal("20.000")
    target_value = Decimal("15.000")
    target_year = 2028


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Familienzentrum Sonnenschein {n}")
    actor_type = factory.SubFactory(ActorTypeFactory)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Netzwerk Frühe Hilfen {n}")
    kind = NetworkKind.NETWORK


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    actor = factory.SubFactory(
        ActorFactory, municipality=factory.SelfAttribute("..network.municipality")
    )


class CooperationLinkFactory(factory.django.DjangoModelFactory):
    """Pass actor_a and actor_b with actor_a.pk < actor_b.pk (links are stored ordered)."""

    class Meta:
        model = CooperationLink

    municipality = factory.SelfAttribute("actor_a.municipality")
    kind = CooperationKind.EXCHANGE


class OfferingFactory(factory.django.DjangoModelFactory):
    """A published offering; pass life_phases=[…], fields_of_action=[…], sozialraeume=[…],
    target_groups=[…] to set the many-to-many relations."""

    class Meta:
        model = Offering
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Angebot {n}")
    description = "Ein offenes Angebot für Familien im Stadtteil."
    status = OfferingStatus.PUBLISHED
    last_confirmed_on = factory.LazyFunction(lambda: timezone.localdate())
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def life_phases(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.life_phases.set(extracted)

    @factory.post_generation
    def fields_of_action(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.fields_of_action.set(extracted)

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_groups.set(extracted)

    @factory.post_generation
    def sozialraeume(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sozialraeume.set(extracted)


class OfferingLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingLocation

    offering = factory.SubFactory(OfferingFactory)
    name = "Familienzentrum am Markt"
    street = "Marktplatz 1"
    postcode = "32756"
    city = "Detmold"


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodPractice
        skip_postgeneration_save = True

    offering = factory.SubFactory(OfferingFactory)
    municipality = factory.SelfAttribute("offering.municipality")
    title = factory.SelfAttribute("offering.title")
    summary = "Offener Treff für Eltern mit Babys, mit Hebamme und Familienhebamme."
    why_it_works = "Niedrigschwellig, im Stadtteil, ohne Anmeldung."
    status = GoodPracticeStatus.PROPOSED
    proposed_by = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            status=GoodPracticeStatus.PUBLISHED,
            decided_at=factory.LazyFunction(timezone.now),
            decided_by=factory.SubFactory(UserFactory),
        )

    @factory.post_generation
    def life_phases(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.life_phases.set(extracted)

    @factory.post_generation
    def fields_of_action(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.fields_of_action.set(extracted)
