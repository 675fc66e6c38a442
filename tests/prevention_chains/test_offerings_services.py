"""The rules of offerings (one set for form, API and import), optimistic locking,
confirmation, the stale flag and the reminder to the coordinators."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from prevention_chains import services_offerings as services
from prevention_chains.errors import ChainError, StaleEditError
from prevention_chains.models import Offering, OfferingStatus
from prevention_chains.selectors_offerings import OfferingFilters, chain_offerings
from prevention_chains.services_offerings import LocationInput
from tests.factories import MembershipFactory, UserFactory
from tests.factories_chains import GoodPracticeFactory
from tests.prevention_chains.offerings_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas)


def refused_fields(excinfo) -> dict:
    return excinfo.value.message_dict


def test_create_stores_everything_and_counts_as_confirmed(world, personas):
    data = world.input(
        provider=world.actors["Jugendamt"],
        target_groups=[world.groups["alleinerziehende"]],
        age_from=0,
        age_to=3,
        sozialraeume=[world.areas["01"]],
        languages=["de", "tr", "de"],
        is_free=False,
        cost_note="5 € je Treffen",
        contact_email="cafe@example.org",
        website="https://example.org",
        locations=[LocationInput("Familienzentrum Nord", "Marktplatz 1", "32756", "Detmold")],
    )
    offering = services.create_offering(
        actor=personas.coordinator_a, municipality=world.municipality, data=data
    )
    offering.refresh_from_db()
    assert offering.languages == ["de", "tr"]
    assert offering.last_confirmed_on == timezone.localdate()
    assert offering.confirmed_by == personas.coordinator_a
    assert list(offering.sozialraeume.all()) == [world.areas["01"]]
    assert offering.locations.get().postcode == "32756"
    assert offering.status == OfferingStatus.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"life_phases": []}, "life_phases"),
        ({"fields_of_action": []}, "fields_of_action"),
        ({"age_from": 6, "age_to": 6}, "age_to"),
        ({"languages": ["xx"]}, "languages"),
        ({"is_free": False}, "cost_note"),
        ({"contact_email": "keine-adresse"}, "contact_email"),
        ({"website": "kein link"}, "website"),
        ({"status": "geheim"}, "status"),
        ({"locations": [LocationInput("", postcode="123")]}, "locations"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, personas, changes, field):
    with pytest.raises(ChainError) as excinfo:
        services.create_offering(
            actor=personas.coordinator_a,
            municipality=world.municipality,
            data=world.input(**changes),
        )
    assert field in refused_fields(excinfo)
    assert not Offering.objects.exists()


def test_provider_and_sozialraum_of_another_municipality_are_refused(world, personas):
    data = world.input(provider=world.foreign_actor, sozialraeume=[world.foreign_area])
    with pytest.raises(ChainError) as excinfo:
        services.create_offering(
            actor=personas.coordinator_a, municipality=world.municipality, data=data
        )
    assert set(refused_fields(excinfo)) == {"provider", "sozialraeume"}


def test_inactive_terms_and_expired_areas_only_stay_where_they_already_are(world, personas):
    data = world.input(life_phases=[world.phases["alt"]], sozialraeume=[world.areas["09"]])
    with pytest.raises(ChainError) as excinfo:
        services.create_offering(
            actor=personas.coordinator_a, municipality=world.municipality, data=data
        )
    assert set(refused_fields(excinfo)) == {"life_phases", "sozialraeume"}
    old = world.offering(life_phases=[world.phases["alt"]], sozialraeume=[world.areas["09"]])
    updated = services.update_offering(
        actor=personas.coordinator_a,
        offering=old,
        data=data,
        expected_version=old.version,
    )
    assert updated.version == 2
    assert list(updated.life_phases.all()) == [world.phases["alt"]]


def test_a_stale_edit_is_refused_and_changes_nothing(world, personas):
    offering = world.offering(title="Vorher")
    services.update_offering(
        actor=personas.coordinator_a,
        offering=offering,
        data=world.input(title="Erste Änderung"),
        expected_version=1,
    )
    with pytest.raises(StaleEditError):
        services.update_offering(
            actor=personas.coordinator_a,
            offering=offering,
            data=world.input(title="Zweite Änderung"),
            expected_version=1,
        )
    offering.refresh_from_db()
    assert (offering.title, offering.version) == ("Erste Änderung", 2)


def test_an_offering_that_is_good_practice_cannot_be_deleted(world, personas):
    offering = world.offering()
    GoodPracticeFactory(offering=offering)
    with pytest.raises(ChainError):
        services.delete_offering(actor=personas.coordinator_a, offering=offering)
    plain = world.offering()
    services.delete_offering(actor=personas.coordinator_a, offering=plain)
    assert not Offering.objects.filter(pk=plain.pk).exists()


@override_settings(OFFERING_STALE_AFTER_DAYS=365)
def test_stale_means_never_or_more_than_the_threshold_ago(world):
    today = timezone.localdate()
    fresh = world.offering(last_confirmed_on=today - timedelta(days=365))
    old = world.offering(last_confirmed_on=today - timedelta(days=366))
    never = world.offering(last_confirmed_on=None)
    assert not services.is_stale(fresh)
    assert services.is_stale(old)
    assert services.is_stale(never)
    stale = chain_offerings(world.municipality, OfferingFilters(stale=True))
    assert {o.pk for o in stale} == {old.pk, never.pk}
    assert {o.pk: o.is_stale for o in chain_offerings(world.municipality, OfferingFilters())} == {
        fresh.pk: False,
        old.pk: True,
        never.pk: True,
    }


def test_confirming_clears_the_flag_and_the_reminder(world, personas):
    offering = world.offering(last_confirmed_on=None, stale_reminder_sent_on=timezone.localdate())
    services.confirm_offering(actor=personas.viewer_a, offering=offering)
    offering.refresh_from_db()
    assert offering.last_confirmed_on == timezone.localdate()
    assert offering.confirmed_by == personas.viewer_a
    assert offering.stale_reminder_sent_on is None


def test_reminder_goes_once_to_the_coordinators_of_each_municipality(
    world, personas, django_capture_on_commit_callbacks
):
    long_ago = timezone.localdate() - timedelta(days=800)
    stale = world.offering(title="Elterncafé", last_confirmed_on=long_ago)
    paused = world.offering(title="Babymassage", last_confirmed_on=None, status="paused")
    world.offering(title="Entwurf", last_confirmed_on=None, status="draft")
    world.offering(title="Frisch")
    MembershipFactory(
        municipality=world.municipality,
        role="coordinator",
        user=UserFactory(email="inaktiv@example.org", is_active=False),
    )
    foreign = world.offering(municipality=world.other, title="Fremd", last_confirmed_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offerings() == 2
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["koordination.a@example.org"])
    assert "2 Angebote sind nicht mehr bestätigt" in message.subject
    assert "Elterncafé" in message.body
    assert "Babymassage" in message.body
    assert f"/praeventionskette/angebote/{stale.pk}/" in message.body
    assert "Entwurf" not in message.body
    assert "Frisch" not in message.body
    for offering in (stale, paused, foreign):
        offering.refresh_from_db()
        assert offering.stale_reminder_sent_on == timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offerings() == 0
    assert len(mail.outbox) == 2


def test_a_confirmed_offering_that_goes_stale_again_is_reminded_again(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    offering = world.offering(
        last_confirmed_on=today - timedelta(days=400),
        stale_reminder_sent_on=today - timedelta(days=800),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_offerings() == 1
    offering.refresh_from_db()
    assert offering.stale_reminder_sent_on == today
    assert len(mail.outbox) == 1


def test_the_beat_task_runs_the_service(world, django_capture_on_commit_callbacks):
    from prevention_chains.tasks_offerings import remind_stale_offerings

    world.offering(last_confirmed_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_stale_offerings.delay().get() == 1
    assert len(mail.outbox) == 1
