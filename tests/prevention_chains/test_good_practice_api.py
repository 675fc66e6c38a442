"""Good-practice API: anonymous reading of published entries, members' own unpublished ones,
filters, constant queries, and propose/publish/reject/withdraw/adopt allowed and denied."""

import pytest
from rest_framework.test import APIClient

from prevention_chains.models import Adoption, GoodPractice, GoodPracticeStatus, Offering
from tests.api.conftest import (
    _fresh_throttles,  # noqa: F401 - autouse: throttle counts start fresh in every test
    error_of,
    token_client,
)
from tests.factories import MunicipalityFactory
from tests.prevention_chains.good_practice_world import (
    entry_in,
    make_terms,
    origin_offering,
    published_entry,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/good-practices/"
PROPOSE = LIST + "propose/"


def url(entry, action=""):
    return f"{LIST}{entry.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def terms():
    return make_terms()


@pytest.fixture
def entry(personas, terms):
    return published_entry(personas.municipality_a, terms)


def writer(user):
    return token_client(user, read_only=False)


def test_anonymous_reads_published_entries_only(personas, terms, entry):
    proposed = entry_in("proposed", personas.municipality_a, terms)
    anonymous = APIClient()
    body = anonymous.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [entry.pk]
    row = body["results"][0]
    assert row["municipality"] == {
        "id": personas.municipality_a.pk,
        "name": "Kommune A",
        "slug": personas.municipality_a.slug,
    }
    assert row["life_phases"] == [terms.phase.slug]
    assert row["target_groups"] == [terms.group.slug]
    assert row["adoption_count"] == 0
    assert row["decision_note"] is None
    assert anonymous.get(url(entry)).status_code == 200
    error_of(anonymous.get(url(proposed)), 404)
    assert anonymous.post(url(entry, "adopt"), {"municipality": 1}).status_code == 401


def test_members_and_state_office_also_see_unpublished_entries(personas, terms, entry):
    proposed = entry_in("proposed", personas.municipality_a, terms)
    elsewhere = entry_in("rejected", MunicipalityFactory(), terms)
    for persona, expected in (
        ("viewer_a", {entry.pk, proposed.pk}),
        ("coordinator_b", {entry.pk}),
        ("reviewer", {entry.pk, proposed.pk, elsewhere.pk}),
    ):
        client = token_client(getattr(personas, persona))
        assert {row["id"] for row in client.get(LIST).json()["results"]} == expected
    client = token_client(personas.viewer_a)
    assert [r["id"] for r in client.get(LIST, {"status": "proposed"}).json()["results"]] == [
        proposed.pk
    ]
    error_of(token_client(personas.coordinator_b).get(url(proposed)), 404)


def test_list_filters_by_phase_field_target_group_and_text(personas, terms, entry):
    other = published_entry(MunicipalityFactory(), terms, title="Lesepaten", summary="Vorlesen.")
    other.life_phases.set([terms.other_phase])
    other.fields_of_action.set([terms.other_field])
    other.target_groups.set([])
    client = APIClient()

    def ids(**query):
        return {row["id"] for row in client.get(LIST, query).json()["results"]}

    assert ids(phase=terms.other_phase.slug) == {other.pk}
    assert ids(field=terms.field.slug) == {entry.pk}
    assert ids(target_group=terms.group.slug) == {entry.pk}
    assert ids(q="Lesepaten") == {other.pk}


@pytest.mark.parametrize("count", [2, 20])
def test_list_costs_the_same_queries_with_2_or_20_entries(
    personas, terms, django_assert_max_num_queries, count
):
    for number in range(count):
        entry = published_entry(MunicipalityFactory(), terms, title=f"Praxis {number}")
        Adoption.objects.create(
            good_practice=entry,
            municipality=personas.municipality_b,
            adopted_by=personas.coordinator_b,
        )
    client = token_client(personas.viewer_a)
    # token (2), memberships, state roles, count, rows, three taxonomies
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    body = response.json()
    assert body["count"] == count
    assert {row["adoption_count"] for row in body["results"]} == {1}


def test_propose_publish_adopt_through_the_api(personas, terms):
    offering = origin_offering(personas.municipality_a, terms)
    response = writer(personas.coordinator_a).post(
        PROPOSE, {"offering": offering.pk, "why_it_works": "Ohne Anmeldung."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed"
    assert body["title"] == "Café Kinderwagen"  # taken from the offering
    assert body["life_phases"] == [terms.phase.slug]
    entry = GoodPractice.objects.get(pk=body["id"])

    # Not yet in the library: B cannot adopt it.
    error_of(
        writer(personas.coordinator_b).post(
            url(entry, "adopt"), {"municipality": personas.municipality_b.pk}
        ),
        404,
    )
    published = writer(personas.reviewer).post(url(entry, "publish"), {"note": "Danke!"})
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["decision_note"] == "Danke!"

    adopted = writer(personas.coordinator_b).post(
        url(entry, "adopt"), {"municipality": personas.municipality_b.pk}
    )
    assert adopted.status_code == 201
    draft = Offering.objects.get(pk=adopted.json()["offering"])
    assert (draft.municipality, draft.status, draft.adopted_from) == (
        personas.municipality_b,
        "draft",
        entry,
    )
    assert token_client(personas.coordinator_a).get(url(entry)).json()["adoption_count"] == 1
    again = writer(personas.coordinator_b).post(
        url(entry, "adopt"), {"municipality": personas.municipality_b.pk}
    )
    assert "bereits übernommen" in error_of(again, 409, "refused")["message"]


def test_proposing_a_draft_or_twice_is_refused(personas, terms):
    draft = origin_offering(personas.municipality_a, terms, status="draft")
    client = writer(personas.coordinator_a)
    response = client.post(PROPOSE, {"offering": draft.pk, "why_it_works": "x"})
    assert "Entwurf" in error_of(response, 409, "refused")["message"]
    offering = origin_offering(personas.municipality_a, terms, title="Elterncafé")
    assert client.post(PROPOSE, {"offering": offering.pk, "why_it_works": "x"}).status_code == 201
    error_of(client.post(PROPOSE, {"offering": offering.pk, "why_it_works": "x"}), 409)


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "reviewer"])
def test_others_cannot_propose_a_municipalitys_offering(personas, terms, persona):
    offering = origin_offering(personas.municipality_a, terms)
    response = writer(getattr(personas, persona)).post(
        PROPOSE, {"offering": offering.pk, "why_it_works": "x"}
    )
    error_of(response, 404)
    assert not GoodPractice.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "viewer_a", "researcher"])
def test_only_the_state_office_publishes_or_rejects(personas, terms, persona):
    entry = entry_in("proposed", MunicipalityFactory(), terms)
    client = writer(getattr(personas, persona))
    error_of(client.post(url(entry, "publish")), 404)  # an unpublished entry of others
    own = entry_in("proposed", personas.municipality_a, terms)
    expected = 403 if persona in ("coordinator_a", "viewer_a") else 404
    error_of(client.post(url(own, "publish")), expected)
    error_of(client.post(url(own, "reject"), {"reason": "nein"}), expected)
    own.refresh_from_db()
    assert own.status == GoodPracticeStatus.PROPOSED


def test_rejecting_needs_a_reason(personas, terms):
    entry = entry_in("proposed", personas.municipality_a, terms)
    client = writer(personas.approver)
    assert "reason" in error_of(client.post(url(entry, "reject"), {}), 400, "invalid")["details"]
    error_of(client.post(url(entry, "reject"), {"reason": "   "}), 400)
    response = client.post(url(entry, "reject"), {"reason": "Wirkung unklar."})
    assert response.json()["status"] == "rejected"
    error_of(client.post(url(entry, "publish")), 409, "refused")


def test_withdraw_by_the_origins_coordinator_only(personas, entry):
    for persona, status in (("coordinator_b", 403), ("viewer_a", 403), ("reviewer", 403)):
        error_of(writer(getattr(personas, persona)).post(url(entry, "withdraw")), status)
    response = writer(personas.coordinator_a).post(url(entry, "withdraw"))
    assert response.json()["status"] == "withdrawn"
    assert APIClient().get(LIST).json()["count"] == 0
    error_of(APIClient().get(url(entry)), 404)


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "outsider"])
def test_who_does_not_coordinate_the_target_cannot_adopt(personas, terms, persona):
    entry = published_entry(personas.municipality_b, terms)
    response = writer(getattr(personas, persona)).post(
        url(entry, "adopt"), {"municipality": personas.municipality_a.pk}
    )
    error_of(response, 404)
    assert not Adoption.objects.exists()


def test_adopting_into_the_origin_is_refused(personas, entry):
    response = writer(personas.coordinator_a).post(
        url(entry, "adopt"), {"municipality": personas.municipality_a.pk}
    )
    assert "eigenen Kommune" in error_of(response, 409, "refused")["message"]


def test_read_only_tokens_cannot_act(personas, entry):
    response = token_client(personas.coordinator_a).post(url(entry, "withdraw"))
    error_of(response, 403)
    entry.refresh_from_db()
    assert entry.status == GoodPracticeStatus.PUBLISHED
