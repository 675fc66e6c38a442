"""Good-practice services: propose → publish → adopt with the copy rules, refusals in plain
German, withdrawal, counts that survive a deleted draft, and who is mailed."""

import re

import pytest
from django.core import mail

from prevention_chains import services_good_practice as services
from prevention_chains.errors import ChainError
from prevention_chains.models import (
    Adoption,
    GoodPractice,
    GoodPracticeStatus,
    OfferingStatus,
)
from prevention_chains.selectors_good_practice import LibraryFilters, library
from tests.factories import MunicipalityFactory
from tests.prevention_chains.good_practice_world import (
    entry_in,
    make_terms,
    origin_offering,
    propose,
    published_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    return make_terms()


@pytest.fixture
def offering(personas, terms):
    return origin_offering(personas.municipality_a, terms)


def test_propose_publish_adopt_keeps_the_origin_and_counts(
    personas, terms, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = propose(offering, personas.coordinator_a, terms)
    assert entry.status == GoodPracticeStatus.PROPOSED
    assert entry.municipality == personas.municipality_a
    assert [m.to for m in mail.outbox] == [[personas.reviewer.email]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_good_practice(entry=entry, actor=personas.reviewer)
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PUBLISHED
    assert entry.decided_by == personas.reviewer
    assert [m.to for m in mail.outbox] == [[personas.coordinator_a.email]]
    assert "veröffentlicht" in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.adopt_good_practice(
            entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
        )
    assert draft.municipality == personas.municipality_b
    assert draft.status == OfferingStatus.DRAFT
    assert draft.adopted_from == entry
    assert draft.created_by == personas.coordinator_b
    assert draft.title == "Café Kinderwagen"
    assert draft.description.startswith("Offener Treff für Eltern mit Babys.")
    assert "Niedrigschwellig" in draft.description
    assert "Ein Raum, eine Fachkraft" in draft.description
    assert "Frau Schmidt" not in draft.description  # the origin's local description
    assert list(draft.life_phases.all()) == [terms.phase]
    assert list(draft.fields_of_action.all()) == [terms.field]
    assert list(draft.target_groups.all()) == [terms.group]
    assert (draft.age_from, draft.age_to, draft.languages) == (0, 3, ["de", "tr"])
    assert (draft.is_free, draft.cost_note) == (False, "1 € für Kaffee")
    # Local details stay at the origin.
    assert draft.provider is None
    assert not draft.sozialraeume.exists()
    assert not draft.locations.exists()
    assert (draft.contact_name, draft.contact_email, draft.schedule) == ("", "", "")
    assert draft.adoption.good_practice == entry
    assert [m.to for m in mail.outbox] == [[personas.coordinator_a.email]]
    assert (library(LibraryFilters()).get(pk=entry.pk)).adoption_count == 1


def test_deleting_the_adopted_draft_keeps_the_count(personas, terms):
    entry = published_entry(personas.municipality_a, terms)
    draft = services.adopt_good_practice(
        entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
    )
    draft.delete()
    assert Adoption.objects.get(good_practice=entry).offering is None
    assert library(LibraryFilters()).get(pk=entry.pk).adoption_count == 1
    # With the draft gone the municipality may adopt again; it still counts once.
    services.adopt_good_practice(
        entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
    )
    assert Adoption.objects.filter(good_practice=entry).count() == 2
    assert library(LibraryFilters()).get(pk=entry.pk).adoption_count == 1


def test_adopting_twice_while_the_draft_exists_is_refused(personas, terms):
    entry = published_entry(personas.municipality_a, terms)
    services.adopt_good_practice(
        entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
    )
    with pytest.raises(ChainError, match="bereits übernommen"):
        services.adopt_good_practice(
            entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
        )


def test_adopting_into_the_origin_or_an_unpublished_entry_is_refused(personas, terms):
    entry = published_entry(personas.municipality_a, terms)
    with pytest.raises(ChainError, match="eigenen Kommune"):
        services.adopt_good_practice(
            entry=entry, actor=personas.coordinator_a, municipality=personas.municipality_a
        )
    for status in (GoodPracticeStatus.PROPOSED, GoodPracticeStatus.WITHDRAWN):
        entry = entry_in(status, personas.municipality_a, terms)
        with pytest.raises(ChainError, match="Nur veröffentlichte"):
            services.adopt_good_practice(
                entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
            )
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "coordinator_a", "reviewer"])
def test_only_the_adopters_coordinators_adopt(personas, terms, persona):
    entry = published_entry(personas.municipality_a, terms)
    with pytest.raises(ChainError, match="Nur die Koordination"):
        services.adopt_good_practice(
            entry=entry, actor=getattr(personas, persona), municipality=personas.municipality_b
        )


def test_inactive_terms_are_not_copied(personas, terms):
    entry = published_entry(personas.municipality_a, terms)
    entry.life_phases.add(terms.other_phase)
    terms.other_phase.is_active = False
    terms.other_phase.save()
    draft = services.adopt_good_practice(
        entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
    )
    assert list(draft.life_phases.all()) == [terms.phase]


@pytest.mark.parametrize("status", [OfferingStatus.DRAFT, OfferingStatus.ENDED])
def test_drafts_and_ended_offerings_cannot_be_proposed(personas, terms, status):
    offering = origin_offering(personas.municipality_a, terms, status=status)
    with pytest.raises(ChainError, match="kann nicht als gute Praxis"):
        propose(offering, personas.coordinator_a, terms)


def test_one_open_entry_per_offering_until_withdrawn(personas, terms, offering):
    entry = propose(offering, personas.coordinator_a, terms)
    with pytest.raises(ChainError, match="bereits als gute Praxis vorgeschlagen"):
        propose(offering, personas.coordinator_a, terms)
    services.withdraw_good_practice(entry=entry, actor=personas.coordinator_a)
    again = propose(offering, personas.coordinator_a, terms)
    assert again.status == GoodPracticeStatus.PROPOSED


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "reviewer"])
def test_only_the_municipalitys_coordinators_propose(personas, terms, offering, persona):
    with pytest.raises(ChainError, match="Nur die Koordination"):
        propose(offering, getattr(personas, persona), terms)
    assert not GoodPractice.objects.exists()


def test_a_proposal_needs_a_phase_a_field_and_active_terms(personas, terms, offering):
    with pytest.raises(ChainError, match="Lebensphase"):
        propose(offering, personas.coordinator_a, terms, life_phases=[])
    with pytest.raises(ChainError, match="Handlungsfeld"):
        propose(offering, personas.coordinator_a, terms, fields_of_action=[])
    terms.group.is_active = False
    terms.group.save()
    with pytest.raises(ChainError, match=re.escape(terms.group.name)):
        propose(offering, personas.coordinator_a, terms)


def test_rejecting_needs_a_reason_and_tells_the_municipality(
    personas, terms, offering, django_capture_on_commit_callbacks
):
    entry = propose(offering, personas.coordinator_a, terms)
    with pytest.raises(ChainError, match="begründen"):
        services.reject_good_practice(entry=entry, actor=personas.reviewer, reason="  ")
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_good_practice(
            entry=entry, actor=personas.approver, reason="Bitte Wirkung belegen."
        )
    entry.refresh_from_db()
    assert (entry.status, entry.decision_note) == (
        GoodPracticeStatus.REJECTED,
        "Bitte Wirkung belegen.",
    )
    assert mail.outbox[-1].to == [personas.coordinator_a.email]
    assert "Bitte Wirkung belegen." in mail.outbox[-1].body
    with pytest.raises(ChainError, match="abgelehnt"):
        services.publish_good_practice(entry=entry, actor=personas.reviewer)


@pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "researcher"])
def test_only_the_state_office_decides(personas, terms, offering, persona):
    entry = propose(offering, personas.coordinator_a, terms)
    with pytest.raises(ChainError, match="Landeskoordinierungsstelle"):
        services.publish_good_practice(entry=entry, actor=getattr(personas, persona))
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PROPOSED


def test_withdrawn_entries_leave_the_library_and_keep_their_adoptions(personas, terms):
    entry = published_entry(personas.municipality_a, terms)
    services.adopt_good_practice(
        entry=entry, actor=personas.coordinator_b, municipality=personas.municipality_b
    )
    with pytest.raises(ChainError, match="Nur die Koordination"):
        services.withdraw_good_practice(entry=entry, actor=personas.coordinator_b)
    services.withdraw_good_practice(entry=entry, actor=personas.coordinator_a)
    assert not library(LibraryFilters()).filter(pk=entry.pk).exists()
    assert Adoption.objects.filter(good_practice=entry).count() == 1
    with pytest.raises(ChainError, match="zurückgezogen"):
        services.withdraw_good_practice(entry=entry, actor=personas.coordinator_a)


def test_library_filters_by_terms_and_text(personas, terms):
    cafe = published_entry(personas.municipality_a, terms)
    other = published_entry(
        MunicipalityFactory(), terms, title="Lesepaten", summary="Ehrenamtliche lesen vor."
    )
    other.life_phases.set([terms.other_phase])
    other.fields_of_action.set([terms.other_field])
    other.target_groups.set([])

    def found(**filters):
        return {entry.pk for entry in library(LibraryFilters(**filters))}

    assert found() == {cafe.pk, other.pk}
    assert found(phase=terms.phase.slug) == {cafe.pk}
    assert found(field=terms.other_field.slug) == {other.pk}
    assert found(target_group=terms.group.slug) == {cafe.pk}
    assert found(text="Ehrenamtlicher") == {other.pk}  # German stemming
    assert found(text="Kinderwag") == {cafe.pk}  # part of the title
    assert found(text="Schwimmkurs") == set()
