"""Rules the database itself keeps for Leitbild, offerings and cooperation links."""

import pytest
from django.db import IntegrityError

from prevention_chains.models import ActorType, FieldOfAction, LifePhase, Offering, TargetGroup
from prevention_chains.taxonomy import ACTOR_TYPES, LIFE_PHASES, load_defaults
from tests.factories_chains import ActorFactory, LeitbildFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def test_defaults_load_once_and_keep_edits():
    LifePhase.objects.all().delete()
    load_defaults(LifePhase, FieldOfAction, TargetGroup, ActorType)
    assert list(LifePhase.objects.values_list("name", flat=True))[:2] == [
        "Schwangerschaft und Geburt",
        "0–3 Frühe Hilfen",
    ]
    LifePhase.objects.filter(slug="kita").update(name="3–6 Kindertagesbetreuung")
    assert load_defaults(LifePhase, FieldOfAction, TargetGroup, ActorType) == 0
    assert LifePhase.objects.get(slug="kita").name == "3–6 Kindertagesbetreuung"
    assert LifePhase.objects.count() == len(LIFE_PHASES)
    assert ActorType.objects.filter(slug="jugendamt").exists()
    assert len(ACTOR_TYPES) == ActorType.objects.count()


def test_search_vector_uses_german_stemming():
    offering = OfferingFactory(title="Elterncafé", description="Wir beraten Familien mit Babys")
    found = Offering.objects.filter(search_vector="Familie", pk=offering.pk)
    assert found.exists()


def test_one_draft_leitbild_per_municipality():
    first = LeitbildFactory()
    with pytest.raises(IntegrityError):
        LeitbildFactory(municipality=first.municipality)


def test_cooperation_pair_must_be_ordered():
    from prevention_chains.models import CooperationLink

    a = ActorFactory()
    b = ActorFactory(municipality=a.municipality)
    low, high = sorted([a, b], key=lambda actor: actor.pk)
    with pytest.raises(IntegrityError):
        CooperationLink.objects.create(
            municipality=a.municipality, actor_a=high, actor_b=low, kind="fallberatung"
        )
