"""Good-practice pages: the public library and entry, adoption from the page, a
municipality's proposals and withdrawals, the state office's queue and decisions – each for
the personas who may and may not, with constant queries on the lists."""

import pytest
from django.urls import reverse

from prevention_chains.models import Adoption, GoodPractice, GoodPracticeStatus, Offering
from tests.factories import MunicipalityFactory
from tests.prevention_chains.good_practice_world import (
    entry_in,
    make_terms,
    origin_offering,
    propose,
    published_entry,
)

pytestmark = pytest.mark.django_db

LIBRARY = reverse("prevention_chains:good_practice_library")
REVIEW = reverse("prevention_chains:good_practice_review")


@pytest.fixture
def terms():
    return make_terms()


@pytest.fixture
def entry(personas, terms):
    return published_entry(personas.municipality_a, terms)


def login(client, user):
    client.force_login(user)
    return client


def detail_url(entry):
    return reverse("prevention_chains:good_practice_detail", args=[entry.pk])


def adopt_url(entry):
    return reverse("prevention_chains:good_practice_adopt", args=[entry.pk])


def propose_url(offering):
    return reverse(
        "prevention_chains:good_practice_propose", args=[offering.municipality.slug, offering.pk]
    )


def mine_url(municipality):
    return reverse("prevention_chains:good_practice_mine", args=[municipality.slug])


# --- library and entry (public) -------------------------------------------------------------


def test_library_shows_published_entries_to_everyone_with_origin_and_count(
    client, personas, terms, entry
):
    Adoption.objects.create(
        good_practice=entry, municipality=personas.municipality_b, adopted_by=personas.coordinator_b
    )
    hidden = [
        entry_in(status, personas.municipality_a, terms)
        for status in ("proposed", "rejected", "withdrawn")
    ]
    response = client.get(LIBRARY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Café Kinderwagen" in page
    assert "Kommune A" in page
    assert "von 1 Kommune" in page
    for other in hidden:
        assert other.title not in page


def test_library_filters_and_says_when_nothing_matches(client, personas, terms, entry):
    published_entry(MunicipalityFactory(), terms, title="Lesepaten", summary="Vorlesen.")
    page = client.get(LIBRARY, {"suche": "Kinderwagen"}).content.decode()
    assert "Café Kinderwagen" in page
    assert "Lesepaten" not in page
    page = client.get(LIBRARY, {"phase": terms.other_phase.slug}).content.decode()
    assert "Kein Eintrag passt zu dieser Suche." in page
    assert "Café Kinderwagen" not in page


def test_library_leads_members_and_the_state_office_to_their_pages(client, personas):
    login(client, personas.viewer_a)
    page = client.get(LIBRARY).content.decode()
    assert mine_url(personas.municipality_a) in page
    assert REVIEW not in page
    login(client, personas.reviewer)
    page = client.get(LIBRARY).content.decode()
    assert REVIEW in page
    assert mine_url(personas.municipality_a) not in page


def test_empty_library_explains_itself(client, db):
    page = client.get(LIBRARY).content.decode()
    assert "Noch ist keine gute Praxis veröffentlicht." in page


@pytest.mark.parametrize("count", [2, 12])
def test_library_costs_the_same_queries_with_2_or_12_entries(
    client, terms, django_assert_max_num_queries, count
):
    for number in range(count):
        published_entry(MunicipalityFactory(), terms, title=f"Praxis {number}")
    # terms for the filters (3), count, rows, three prefetched taxonomies, navigation
    with django_assert_max_num_queries(10):
        response = client.get(LIBRARY)
    assert response.status_code == 200
    assert f"{count} Einträge" in response.content.decode()


def test_entry_is_public_when_published(client, entry, personas):
    response = client.get(detail_url(entry))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niedrigschwellig" in page
    assert "Noch keine andere Kommune" in page
    assert "In unsere Präventionskette übernehmen" not in page  # anonymous


@pytest.mark.parametrize("status", ["proposed", "rejected", "withdrawn"])
@pytest.mark.parametrize("persona", [None, "coordinator_b", "outsider", "researcher"])
def test_unpublished_entries_do_not_exist_for_outsiders(client, personas, terms, status, persona):
    entry = entry_in(status, personas.municipality_a, terms)
    if persona:
        login(client, getattr(personas, persona))
    assert client.get(detail_url(entry)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer"])
def test_members_and_state_office_see_unpublished_entries(client, personas, terms, persona):
    entry = entry_in("rejected", personas.municipality_a, terms)
    login(client, getattr(personas, persona))
    assert client.get(detail_url(entry)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("coordinator_b", True), ("coordinator_a", False), ("viewer_a", False), ("reviewer", False)],
)
def test_adopt_form_only_for_coordinators_of_other_municipalities(
    client, personas, entry, persona, offered
):
    login(client, getattr(personas, persona))
    page = client.get(detail_url(entry)).content.decode()
    assert ("In unsere Präventionskette übernehmen" in page) is offered


# --- adoption -------------------------------------------------------------------------------


def test_coordinator_of_b_confirms_and_adopts_as_draft(client, personas, entry):
    login(client, personas.coordinator_b)
    confirmation = client.get(adopt_url(entry))
    assert confirmation.status_code == 200
    assert "Ja, als Entwurf übernehmen" in confirmation.content.decode()
    assert not Offering.objects.filter(municipality=personas.municipality_b).exists()

    response = client.post(adopt_url(entry), {"kommune": personas.municipality_b.pk})
    draft = Offering.objects.get(municipality=personas.municipality_b)
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention_chains:offering_edit", args=[draft.pk])
    assert draft.adopted_from == entry
    assert draft.status == "draft"

    # The origin sees the count and who adopted.
    login(client, personas.coordinator_a)
    page = client.get(mine_url(personas.municipality_a)).content.decode()
    assert "1 Kommune" in page
    assert "Kommune B" in client.get(detail_url(entry)).content.decode()

    # A second adoption while the draft exists is explained, not made.
    login(client, personas.coordinator_b)
    again = client.post(adopt_url(entry), {"kommune": personas.municipality_b.pk})
    assert again.status_code == 400
    assert "bereits übernommen" in again.content.decode()
    assert Adoption.objects.count() == 1


def test_coordinator_of_several_municipalities_chooses_one(client, personas, entry):
    from tests.factories import MembershipFactory

    third = MunicipalityFactory(short_name="Kommune C")
    MembershipFactory(user=personas.coordinator_b, municipality=third, role="coordinator")
    login(client, personas.coordinator_b)
    page = client.get(detail_url(entry)).content.decode()
    assert "Kommune C" in page
    assert "Kommune B" in page
    response = client.post(adopt_url(entry), {"kommune": personas.municipality_a.pk})
    assert response.status_code == 400  # not one of theirs to choose
    client.post(adopt_url(entry), {"kommune": third.pk})
    assert Offering.objects.get(adopted_from=entry).municipality == third


def test_anonymous_is_sent_to_login_to_adopt(client, entry):
    response = client.post(adopt_url(entry), {"kommune": entry.municipality_id})
    assert response.status_code == 302
    assert "/konto/" in response["Location"]
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "coordinator_a", "reviewer", "outsider"])
def test_who_coordinates_no_other_municipality_cannot_adopt(client, personas, entry, persona):
    login(client, getattr(personas, persona))
    response = client.post(adopt_url(entry), {"kommune": personas.municipality_b.pk})
    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_unpublished_entries_cannot_be_adopted(client, personas, terms):
    entry = entry_in("proposed", personas.municipality_a, terms)
    login(client, personas.coordinator_b)
    assert client.post(adopt_url(entry), {"kommune": personas.municipality_b.pk}).status_code == 404


# --- proposing and the municipality's own entries --------------------------------------------


def test_coordinator_proposes_with_the_form_prefilled(client, personas, terms):
    offering = origin_offering(personas.municipality_a, terms)
    login(client, personas.coordinator_a)
    form = client.get(propose_url(offering))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'value="Café Kinderwagen"' in page
    assert "Treff im Familienzentrum Nord" in page  # the description as summary
    assert f'value="{terms.phase.pk}" checked' in page

    missing = client.post(propose_url(offering), {"title": "Café Kinderwagen"})
    assert missing.status_code == 400
    assert "Café Kinderwagen" in missing.content.decode()  # keeps what was typed
    assert not GoodPractice.objects.exists()

    response = client.post(
        propose_url(offering),
        {
            "title": "Café Kinderwagen",
            "summary": "Offener Treff für Eltern mit Babys.",
            "why_it_works": "Ohne Anmeldung.",
            "requirements": "",
            "life_phases": [terms.phase.pk],
            "fields_of_action": [terms.field.pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == mine_url(personas.municipality_a)
    entry = GoodPractice.objects.get()
    assert (entry.status, entry.proposed_by) == ("proposed", personas.coordinator_a)


def test_proposing_is_refused_with_a_reason_for_drafts_and_open_entries(client, personas, terms):
    draft = origin_offering(personas.municipality_a, terms, status="draft")
    login(client, personas.coordinator_a)
    page = client.get(propose_url(draft)).content.decode()
    assert "kann nicht als gute Praxis vorgeschlagen werden" in page
    assert "Vorschlag senden" not in page
    offering = origin_offering(personas.municipality_a, terms, title="Elterncafé")
    propose(offering, personas.coordinator_a, terms)
    page = client.get(propose_url(offering)).content.decode()
    assert "bereits als gute Praxis vorgeschlagen" in page


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "reviewer"])
def test_others_cannot_propose_a_municipalitys_offering(client, personas, terms, persona):
    offering = origin_offering(personas.municipality_a, terms)
    login(client, getattr(personas, persona))
    assert client.get(propose_url(offering)).status_code == 404
    assert client.post(propose_url(offering), {"title": "x"}).status_code == 404


def test_proposal_path_must_name_the_offerings_municipality(client, personas, terms):
    offering = origin_offering(personas.municipality_a, terms)
    login(client, personas.state_admin)
    wrong = reverse(
        "prevention_chains:good_practice_propose", args=[personas.municipality_b.slug, offering.pk]
    )
    assert client.get(wrong).status_code == 404


def test_mine_lists_status_note_and_lets_coordinators_choose_an_offering(client, personas, terms):
    rejected = entry_in("rejected", personas.municipality_a, terms)
    rejected.decision_note = "Bitte Wirkung belegen."
    rejected.save()
    origin_offering(personas.municipality_a, terms, title="Lesepaten")
    login(client, personas.viewer_a)
    page = client.get(mine_url(personas.municipality_a)).content.decode()
    assert "Bitte Wirkung belegen." in page
    assert "abgelehnt" in page
    assert "Weiter zum Vorschlag" not in page
    assert "zurückziehen" not in page

    login(client, personas.coordinator_a)
    page = client.get(mine_url(personas.municipality_a)).content.decode()
    assert "Lesepaten" in page  # proposable
    lesepaten = Offering.objects.get(title="Lesepaten")
    choose = reverse(
        "prevention_chains:good_practice_propose_choose", args=[personas.municipality_a.slug]
    )
    response = client.get(choose, {"angebot": lesepaten.pk})
    assert response["Location"] == propose_url(lesepaten)


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider"])
def test_mine_does_not_exist_for_others(client, personas, persona):
    login(client, getattr(personas, persona))
    assert client.get(mine_url(personas.municipality_a)).status_code == 404


def test_coordinator_withdraws_after_confirming(client, personas, entry):
    url = reverse(
        "prevention_chains:good_practice_withdraw", args=[personas.municipality_a.slug, entry.pk]
    )
    for persona in ("coordinator_b", "viewer_a"):
        login(client, getattr(personas, persona))
        assert client.post(url).status_code == 404
    login(client, personas.coordinator_a)
    assert "Eintrag zurückziehen" in client.get(url).content.decode()
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PUBLISHED
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.WITHDRAWN
    assert "Café Kinderwagen" not in client.get(LIBRARY).content.decode()


# --- the state office ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "researcher", "outsider"])
def test_review_pages_do_not_exist_outside_the_state_office(client, personas, terms, persona):
    entry = entry_in("proposed", personas.municipality_a, terms)
    login(client, getattr(personas, persona))
    assert client.get(REVIEW).status_code == 404
    decide = reverse("prevention_chains:good_practice_decide", args=[entry.pk])
    assert client.post(decide, {"aktion": "publish"}).status_code == 404
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PROPOSED


@pytest.mark.parametrize("count", [2, 12])
def test_review_queue_costs_the_same_queries(
    client, personas, terms, django_assert_max_num_queries, count
):
    for _number in range(count):
        entry_in("proposed", MunicipalityFactory(), terms)
    login(client, personas.reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(REVIEW)
    assert f"{count} offene Vorschläge" in response.content.decode()


def test_reviewer_rejects_only_with_a_reason_then_publishes_another(client, personas, terms):
    entry = entry_in("proposed", personas.municipality_a, terms)
    login(client, personas.reviewer)
    assert entry.title in client.get(REVIEW).content.decode()
    decide = reverse("prevention_chains:good_practice_decide", args=[entry.pk])
    response = client.post(decide, {"aktion": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Bitte begründen Sie die Ablehnung" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PROPOSED
    response = client.post(decide, {"aktion": "reject", "reason": "Wirkung unklar."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.decision_note) == ("rejected", "Wirkung unklar.")

    other = entry_in("proposed", personas.municipality_a, terms)
    decide = reverse("prevention_chains:good_practice_decide", args=[other.pk])
    assert client.post(decide, {"aktion": "publish"}).status_code == 302
    other.refresh_from_db()
    assert other.status == GoodPracticeStatus.PUBLISHED
    assert other.title in client.get(LIBRARY).content.decode()
