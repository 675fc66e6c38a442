"""Taxonomy maintenance by the programme administration: services and pages, who may do what,
terms in use are deactivated instead of deleted, slugs stay."""

import pytest
from django.urls import reverse

from prevention_chains.errors import ChainError
from prevention_chains.models import ActorType, FieldOfAction, LifePhase, TargetGroup
from prevention_chains.services_taxonomy import (
    active_terms,
    create_term,
    delete_term,
    move_term,
    offered_terms,
    term_usages,
    update_term,
)
from tests.factories_chains import (
    ActorFactory,
    ActorTypeFactory,
    FieldOfActionFactory,
    LifePhaseFactory,
    OfferingFactory,
)

pytestmark = pytest.mark.django_db

STATE_READERS = ("reviewer", "approver", "state_admin")
NOT_STATE = ("coordinator_a", "viewer_a", "companion_a", "researcher", "outsider")


def test_state_admin_creates_a_life_phase_at_the_end_of_the_list(personas):
    LifePhaseFactory(slug="spaeter", name="Später", position=70, age_from=3, age_to=6)
    phase = create_term(
        model=LifePhase,
        actor=personas.state_admin,
        slug="schulkinder",
        name="  6–10 Schulkinder ",
        age_from=6,
        age_to=10,
        is_transition=False,
    )
    assert phase.name == "6–10 Schulkinder"
    assert phase.position == 71


def test_only_the_programme_administration_maintains_terms(personas):
    for name in ("reviewer", "coordinator_a"):
        with pytest.raises(ChainError, match="Programmverwaltung"):
            create_term(model=FieldOfAction, actor=getattr(personas, name), slug="x", name="Neu")


def test_clear_errors_for_slug_name_and_age_band(personas):
    LifePhaseFactory(slug="kita", name="3–6 Kita")
    with pytest.raises(ChainError) as refused:
        create_term(
            model=LifePhase,
            actor=personas.state_admin,
            slug="kita",
            name="3–6 KITA",
            age_from=6,
            age_to=3,
        )
    errors = refused.value.message_dict
    assert "schon vergeben" in errors["slug"][0]
    assert "gibt es in dieser Liste schon" in errors["name"][0]
    assert "größer sein als" in errors["age_to"][0]
    with pytest.raises(ChainError) as refused:
        create_term(model=TargetGroup, actor=personas.state_admin, slug="Mit Leerzeichen", name="A")
    assert "Kleinbuchstaben" in refused.value.message_dict["slug"][0]


def test_rename_keeps_the_slug_and_deactivation_hides_from_forms(personas):
    kind = ActorTypeFactory(slug="sportverein", name="Sportverein")
    update_term(
        term=kind, actor=personas.state_admin, slug="anders", name="Sportverein", is_active=False
    )
    kind.refresh_from_db()
    assert kind.slug == "sportverein"
    assert kind not in active_terms(ActorType)
    # A record that already has the term keeps it offered when edited.
    assert kind in offered_terms(ActorType, [kind])
    assert kind not in offered_terms(ActorType)


def test_a_term_in_use_is_refused_deletion_an_unused_one_is_deleted(personas):
    phase = LifePhaseFactory(slug="kita", name="3–6 Kita")
    offering = OfferingFactory(life_phases=[phase])
    ActorFactory().life_phases.add(phase)
    assert dict(term_usages(phase)) == {"Akteure": 1, "Angebote": 1}
    with pytest.raises(ChainError, match="Deaktivieren Sie den Begriff"):
        delete_term(term=phase, actor=personas.state_admin)
    assert LifePhase.objects.filter(pk=phase.pk).exists()
    offering.delete()
    phase.actors.clear()
    delete_term(term=phase, actor=personas.state_admin)
    assert not LifePhase.objects.filter(pk=phase.pk).exists()


def test_move_swaps_with_the_neighbour(personas):
    FieldOfAction.objects.all().delete()  # the seeded defaults, if any
    first = FieldOfActionFactory(slug="a-feld", name="A", position=5)
    second = FieldOfActionFactory(slug="b-feld", name="B", position=5)
    third = FieldOfActionFactory(slug="c-feld", name="C", position=9)
    move_term(term=third, actor=personas.state_admin, up=True)
    order = FieldOfAction.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by(
        "position"
    )
    assert [term.name for term in order] == ["A", "C", "B"]
    move_term(term=first, actor=personas.state_admin, up=True)  # already first: stays
    assert FieldOfAction.objects.get(pk=first.pk).position == 1


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def phase(personas):
    return LifePhaseFactory(slug="kita", name="3–6 Kita", age_from=3, age_to=6)


def write_urls(phase):
    return [
        reverse("prevention_chains:taxonomy_term_create", args=["lebensphasen"]),
        reverse("prevention_chains:taxonomy_term_edit", args=["lebensphasen", phase.pk]),
        reverse("prevention_chains:taxonomy_term_delete", args=["lebensphasen", phase.pk]),
    ]


def test_state_office_reads_the_overview_others_get_404(client, personas, phase):
    url = reverse("prevention_chains:taxonomy_overview")
    for name in STATE_READERS:
        client.force_login(getattr(personas, name))
        page = client.get(url)
        assert page.status_code == 200, name
        assert "3–6 Kita" in page.content.decode()
    for name in NOT_STATE:
        client.force_login(getattr(personas, name))
        assert client.get(url).status_code == 404, name
    client.logout()
    assert client.get(url).status_code == 302


def test_only_the_state_admin_reaches_the_write_pages(client, personas, phase):
    for name in ("reviewer", "approver", "coordinator_a"):
        client.force_login(getattr(personas, name))
        for url in write_urls(phase):
            assert client.get(url).status_code == 404, (name, url)
    client.force_login(personas.state_admin)
    for url in write_urls(phase):
        assert client.get(url).status_code == 200, url
    unknown = reverse("prevention_chains:taxonomy_term_create", args=["farben"])
    assert client.get(unknown).status_code == 404


def test_reader_sees_no_edit_links(client, personas, phase):
    client.force_login(personas.reviewer)
    page = client.get(reverse("prevention_chains:taxonomy_overview")).content.decode()
    assert write_urls(phase)[1] not in page
    client.force_login(personas.state_admin)
    page = client.get(reverse("prevention_chains:taxonomy_overview")).content.decode()
    assert write_urls(phase)[1] in page


def test_create_form_keeps_input_and_shows_the_german_error(client, personas, phase):
    client.force_login(personas.state_admin)
    response = client.post(
        write_urls(phase)[0],
        {"slug": "kita", "name": "Kindergarten", "age_from": "3", "age_to": "6"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ist schon vergeben" in page
    assert 'value="Kindergarten"' in page
    response = client.post(
        write_urls(phase)[0],
        {"slug": "kindergarten", "name": "Kindergarten", "age_from": "3", "age_to": "6"},
    )
    assert response.status_code == 302
    assert LifePhase.objects.get(slug="kindergarten").age_to == 6


def test_edit_page_renames_and_deactivates(client, personas, phase):
    client.force_login(personas.state_admin)
    response = client.post(
        write_urls(phase)[1],
        {"name": "3–6 Kindertagesbetreuung", "age_from": "3", "age_to": "6", "position": "2"},
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.name, phase.slug, phase.is_active) == ("3–6 Kindertagesbetreuung", "kita", False)


def test_delete_page_refuses_a_term_in_use(client, personas, phase):
    ActorFactory().life_phases.add(phase)
    client.force_login(personas.state_admin)
    assert "Begriff löschen" not in client.get(write_urls(phase)[1]).content.decode()
    response = client.post(write_urls(phase)[2])
    assert response.status_code == 400
    assert "wird noch verwendet (Akteure: 1)" in response.content.decode()
    assert LifePhase.objects.filter(pk=phase.pk).exists()


def test_delete_page_deletes_an_unused_term_after_confirmation(client, personas, phase):
    client.force_login(personas.state_admin)
    assert client.get(write_urls(phase)[2]).status_code == 200
    assert LifePhase.objects.filter(pk=phase.pk).exists()
    assert client.post(write_urls(phase)[2]).status_code == 302
    assert not LifePhase.objects.filter(pk=phase.pk).exists()


def test_move_button_reorders(client, personas, phase):
    earlier = LifePhaseFactory(slug="fruehe-hilfen", name="0–3 Frühe Hilfen", position=0)
    client.force_login(personas.state_admin)
    url = reverse("prevention_chains:taxonomy_term_move", args=["lebensphasen", phase.pk])
    assert client.post(url, {"richtung": "hoch"}).status_code == 302
    phase.refresh_from_db()
    earlier.refresh_from_db()
    assert phase.position < earlier.position
    client.force_login(personas.reviewer)
    assert client.post(url, {"richtung": "hoch"}).status_code == 404


def test_overview_queries_do_not_grow_with_terms(client, personas, django_assert_max_num_queries):
    for number in range(30):
        ActorTypeFactory(slug=f"typ-{number}", name=f"Typ {number}")
    client.force_login(personas.state_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("prevention_chains:taxonomy_overview")).status_code == 200
