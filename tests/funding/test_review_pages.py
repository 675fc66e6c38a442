"""Review pages: the queue (filters, constant queries, deny), the review page with the whole
flow, the request-changes confirmation, and the comments page for the municipality."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import ApplicationStatus, Comment, CommentVisibility, Review
from funding.services import review as services
from tests.factories import MunicipalityFactory
from tests.factories_funding import CallFactory
from tests.funding.review_world import submit, submitted_application

pytestmark = pytest.mark.django_db

QUEUE = reverse("funding:review_queue")
DENIED = ["coordinator_a", "coordinator_b", "viewer_a", "companion_a", "researcher", "outsider"]


@pytest.fixture
def application(personas):
    return submitted_application(personas.municipality_a, personas.coordinator_a)


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", DENIED)
def test_queue_and_review_pages_do_not_exist_outside_the_state_office(
    client, personas, application, persona
):
    login(client, getattr(personas, persona))
    assert client.get(QUEUE).status_code == 404
    review_url = reverse("funding:application_review", args=[application.pk])
    assert client.get(review_url).status_code == 404
    assert client.post(review_url, {"aktion": "start"}).status_code == 404
    changes_url = reverse("funding:review_request_changes", args=[application.pk])
    assert client.get(changes_url).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_queue_lists_open_applications_with_their_totals(client, personas, application):
    response = login(client, personas.reviewer).get(QUEUE)
    assert response.status_code == 200
    text = response.content.decode()
    assert application.number in text
    assert "2027, 2028" in text
    assert "59.916,00" in text  # 2 × 29,958 € requested


def _world(count: int, personas):
    call = CallFactory()
    for _n in range(count):
        municipality = MunicipalityFactory()
        submitted_application(municipality, personas.coordinator_a, call=call, years=(2027,))


@pytest.mark.parametrize("count", [3, 30])
def test_queue_costs_the_same_queries_with_3_or_30_applications(
    client, personas, django_assert_max_num_queries, count
):
    _world(count, personas)
    login(client, personas.reviewer)
    # session, user, state roles, TOTP check, calls, count, rows; the layout's programme and
    # memberships
    with django_assert_max_num_queries(9):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_queue_filters(client, personas):
    call = CallFactory(first_year=2029, last_year=2030)
    detmold = MunicipalityFactory(regierungsbezirk="057", short_name="Lippe")
    later = submitted_application(detmold, personas.coordinator_a, call=call, years=(2030,))
    mine = submitted_application(personas.municipality_a, personas.coordinator_a)
    services.start_review(application=mine, actor=personas.reviewer)
    decided = submitted_application(personas.municipality_b, personas.coordinator_b)
    decided.status = ApplicationStatus.APPROVED
    decided.save()
    login(client, personas.reviewer)

    def numbers(**params):
        response = client.get(QUEUE, params)
        assert response.status_code == 200
        return {row["number"] for row in response.context["page"].object_list}

    assert numbers() == {later.number, mine.number}  # decided ones only on request
    assert numbers(status="approved") == {decided.number}
    assert numbers(jahr=2030) == {later.number}
    assert numbers(bezirk="057") == {later.number}
    assert numbers(aufruf=call.pk) == {later.number}
    assert numbers(bearbeitung="mine") == {mine.number}
    assert numbers(bearbeitung="unassigned") == {later.number}
    assert numbers(suche="lipp") == {later.number}
    assert numbers(suche=mine.number) == {mine.number}
    response = client.get(QUEUE, {"sortierung": "neueste"})
    assert response.context["page"].object_list[0]["number"] == mine.number


def test_queue_says_when_nothing_matches(client, personas):
    response = login(client, personas.reviewer).get(QUEUE, {"suche": "gibt es nicht"})
    assert "Kein Antrag passt zu diesen Filtern." in response.content.decode()
    response = client.get(QUEUE)
    assert "Zurzeit wartet kein Antrag auf Prüfung." in response.content.decode()


def test_reviewer_flow_start_request_changes_resubmit_diff_recommend(client, personas, application):
    url = reverse("funding:application_review", args=[application.pk])
    login(client, personas.reviewer)
    assert "Prüfung beginnen" in client.get(url).content.decode()
    assert client.post(url, {"aktion": "start"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW

    response = client.post(
        url,
        {
            "aktion": "checklist",
            "item_council_resolution": "on",
            "note": "Beschluss liegt vor.",
            "version": application.version,
        },
    )
    assert response.status_code == 302
    assert Review.objects.get().checklist["items"]["council_resolution"] is True

    changes_url = reverse("funding:review_request_changes", args=[application.pk])
    application.refresh_from_db()
    unconfirmed = client.post(changes_url, {"message": "Bitte kürzen.", "version": 99})
    assert unconfirmed.status_code == 400
    assert "Bitte kürzen." in unconfirmed.content.decode()  # what was typed stays
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    response = client.post(
        changes_url,
        {"message": "Bitte 2028 kürzen.", "confirmed": "on", "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED

    plan = application.years.get(year=2028)
    plan.requested_grant = Decimal("25000.00")
    plan.save()
    submit(application, personas.coordinator_a)
    page = client.get(url).content.decode()
    assert "Änderungen seit der vorigen Einreichung" in page
    assert "2028: beantragte Zuwendung" in page
    assert "25.000,00" in page

    client.post(url, {"aktion": "start"})
    application.refresh_from_db()
    response = client.post(
        url,
        {
            "aktion": "recommend",
            "recommendation": "partial",
            "grant_2027": "20000,00",
            "grant_2028": "25000",
            "note": "Stellenanteil 2027 zu hoch.",
            "version": application.version,
        },
    )
    assert response.status_code == 302, response.context["recommend_form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED
    assert Review.objects.get().recommended_grants == {"2027": "20000.00", "2028": "25000.00"}


def test_recommend_form_keeps_input_and_says_what_to_fix(client, personas, application):
    services.start_review(application=application, actor=personas.reviewer)
    application.refresh_from_db()
    url = reverse("funding:application_review", args=[application.pk])
    response = login(client, personas.reviewer).post(
        url,
        {"aktion": "recommend", "recommendation": "reject", "version": application.version},
    )
    assert response.status_code == 400
    assert "Bitte begründen Sie" in response.content.decode()
    assert response.context["recommend_form"]["recommendation"].value() == "reject"


def test_approver_reads_the_review_page_but_cannot_act(client, personas, application):
    url = reverse("funding:application_review", args=[application.pk])
    login(client, personas.approver)
    page = client.get(url)
    assert page.status_code == 200
    assert "Prüfung beginnen" not in page.content.decode()
    client.post(url, {"aktion": "start"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def _comments(application, personas):
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.INTERNAL,
        text="Intern: Kämmerei anrufen",
    )
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.MUNICIPALITY,
        text="Bitte Stellenplan nachreichen",
    )


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "companion_a"])
def test_municipality_reads_only_visible_comments(client, personas, application, persona):
    _comments(application, personas)
    url = reverse("funding:application_comments", args=[application.pk])
    page = login(client, getattr(personas, persona)).get(url).content.decode()
    assert "Bitte Stellenplan nachreichen" in page
    assert "Kämmerei" not in page


def test_state_office_reads_internal_comments(client, personas, application):
    _comments(application, personas)
    for url_name in ("funding:application_comments", "funding:application_review"):
        page = login(client, personas.approver).get(reverse(url_name, args=[application.pk]))
        assert "Intern: Kämmerei anrufen" in page.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "outsider"])
def test_comments_page_does_not_exist_for_others(client, personas, application, persona):
    _comments(application, personas)
    url = reverse("funding:application_comments", args=[application.pk])
    login(client, getattr(personas, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hallo"}).status_code == 404
    assert Comment.objects.count() == 2


def test_coordinator_answers_viewer_cannot(client, personas, application):
    url = reverse("funding:application_comments", args=[application.pk])
    response = login(client, personas.coordinator_a).post(url, {"text": "Ist nachgereicht."})
    assert response.status_code == 302
    answer = Comment.objects.get()
    assert answer.visibility == CommentVisibility.MUNICIPALITY
    assert answer.author == personas.coordinator_a
    assert login(client, personas.viewer_a).post(url, {"text": "Ich auch"}).status_code == 404
    assert Comment.objects.count() == 1
