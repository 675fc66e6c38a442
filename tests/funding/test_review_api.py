"""Review API: queue (filters, constant queries, deny), comments (visibility rules, B sees
nothing of A), reviewer actions with errors in the one error format."""

import pytest

from funding.models import ApplicationStatus, Comment, CommentVisibility
from tests.api.conftest import token_client
from tests.factories import MunicipalityFactory
from tests.factories_funding import CallFactory
from tests.funding.review_world import submit, submitted_application

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/funding/review-queue/"
COMMENTS = "/api/v1/funding/comments/"
AUTH = 2  # token lookup and its "last used" stamp


def review(application, action=""):
    return f"/api/v1/funding/reviews/{application.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def application(personas):
    return submitted_application(personas.municipality_a, personas.coordinator_a)


@pytest.fixture
def comments(application, personas):
    for visibility, text in (
        (CommentVisibility.INTERNAL, "Intern: Kämmerei anrufen"),
        (CommentVisibility.MUNICIPALITY, "Bitte Stellenplan nachreichen"),
    ):
        Comment.objects.create(
            application=application, author=personas.reviewer, visibility=visibility, text=text
        )


def writer(user):
    return token_client(user, read_only=False)


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "coordinator_b", "viewer_a", "researcher", "outsider"]
)
def test_queue_and_review_do_not_exist_outside_the_state_office(personas, application, persona):
    client = writer(getattr(personas, persona))
    response = client.get(QUEUE)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(review(application)).status_code == 404
    assert client.post(review(application, "start")).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("count", [3, 30])
def test_queue_costs_the_same_queries_with_3_or_30_applications(
    personas, django_assert_max_num_queries, count
):
    call = CallFactory()
    for _n in range(count):
        submitted_application(MunicipalityFactory(), personas.coordinator_a, call=call)
    client = token_client(personas.reviewer)
    # state roles, count, rows
    with django_assert_max_num_queries(AUTH + 3):
        response = client.get(QUEUE, {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == count
    row = body["results"][0]
    assert row["years"] == [2027, 2028]
    assert row["requested_total"] == "59916.00"


def test_queue_filters_and_rejects_unknown_values(personas, application):
    detmold = MunicipalityFactory(regierungsbezirk="057")
    other = submitted_application(detmold, personas.coordinator_a, years=(2030,))
    client = token_client(personas.reviewer)

    def numbers(**params):
        response = client.get(QUEUE, params)
        assert response.status_code == 200, response.json()
        return [row["number"] for row in response.json()["results"]]

    assert numbers(regierungsbezirk="057") == [other.number]
    assert numbers(year=2030) == [other.number]
    assert numbers(search=application.number) == [application.number]
    assert numbers(assigned="mine") == []
    assert numbers(newest_first="true") == [other.number, application.number]
    response = client.get(QUEUE, {"status": "unbekannt"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_coordinator_reads_only_visible_comments(personas, application, comments):
    response = token_client(personas.coordinator_a).get(COMMENTS, {"application": application.pk})
    assert response.status_code == 200
    assert [c["text"] for c in response.json()["results"]] == ["Bitte Stellenplan nachreichen"]
    state = token_client(personas.reviewer).get(COMMENTS, {"application": application.pk})
    assert len(state.json()["results"]) == 2


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "outsider"])
def test_others_see_nothing_of_the_comments(personas, application, comments, persona):
    client = writer(getattr(personas, persona))
    assert client.get(COMMENTS, {"application": application.pk}).status_code == 404
    posted = client.post(COMMENTS, {"application": application.pk, "text": "Hallo"})
    assert posted.status_code == 404
    assert Comment.objects.count() == 2


def test_comments_list_needs_an_application(personas):
    response = token_client(personas.reviewer).get(COMMENTS)
    assert response.status_code == 400
    assert "application" in response.json()["error"]["details"]


def test_coordinator_answers_visible_viewer_may_not_write(personas, application):
    response = writer(personas.coordinator_a).post(
        COMMENTS, {"application": application.pk, "text": "Nachgereicht."}
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == "municipality"
    refused = writer(personas.coordinator_a).post(
        COMMENTS, {"application": application.pk, "text": "x", "visibility": "internal"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "refused"
    viewer = writer(personas.viewer_a).post(COMMENTS, {"application": application.pk, "text": "x"})
    assert viewer.status_code == 403
    assert Comment.objects.count() == 1


def test_reviewer_flow_over_the_api(personas, application):
    client = writer(personas.reviewer)
    started = client.post(review(application, "start"))
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "in_review"
    version = started.json()["version"]

    stale = client.post(
        review(application, "checklist"),
        {"checklist": {"council_resolution": True}, "version": version - 1},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    saved = client.post(
        review(application, "checklist"),
        {"checklist": {"council_resolution": True}, "version": version},
        format="json",
    )
    assert saved.json()["checklist"]["council_resolution"] is True

    returned = client.post(review(application, "request-changes"), {"message": "Bitte kürzen."})
    assert returned.json()["status"] == "changes_requested"
    again = client.post(review(application, "request-changes"), {"message": "Nochmal"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "refused"

    application.refresh_from_db()
    submit(application, personas.coordinator_a)
    client.post(review(application, "start"))
    refused = client.post(
        review(application, "recommend"), {"recommendation": "reject"}, format="json"
    )
    assert refused.status_code == 409
    assert "begründen" in refused.json()["error"]["message"]
    recommended = client.post(
        review(application, "recommend"),
        {
            "recommendation": "partial",
            "recommended_grants": {"2027": "20000.00", "2028": "29958.00"},
            "note": "2027 gekürzt",
        },
        format="json",
    )
    assert recommended.status_code == 200, recommended.json()
    assert recommended.json()["recommended_grants"] == {"2027": "20000.00", "2028": "29958.00"}
    assert recommended.json()["status"] == "recommended"


def test_a_read_only_token_cannot_act(personas, application):
    response = token_client(personas.reviewer).post(review(application, "start"))
    assert response.status_code == 403
