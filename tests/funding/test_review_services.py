"""Review services: start, checklist, comments, request changes, resubmission diff, recommend,
four-eyes groundwork, and the mails each step sends."""

from decimal import Decimal

import pytest
from django.core import mail

from funding.models import (
    ApplicationStatus,
    Comment,
    CommentVisibility,
    Recommendation,
    Review,
)
from funding.money import format_euro
from funding.services import review as services
from funding.services.errors import FundingError, StaleEditError
from tests.funding.review_world import submit, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(personas):
    return submitted_application(personas.municipality_a, personas.coordinator_a)


@pytest.fixture
def in_review(application, personas):
    services.start_review(application=application, actor=personas.reviewer)
    application.refresh_from_db()
    return application


def test_start_review_assigns_the_reviewer_and_tells_the_municipality(
    application, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.start_review(application=application, actor=personas.reviewer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.reviewer == personas.reviewer == review.reviewer
    assert [m.to for m in mail.outbox] == [[personas.coordinator_a.email]]
    assert application.number in mail.outbox[0].subject


@pytest.mark.parametrize("persona", ["approver", "state_admin", "coordinator_a"])
def test_only_reviewers_start_a_review(application, personas, persona):
    with pytest.raises(FundingError):
        services.start_review(application=application, actor=getattr(personas, persona))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_review_cannot_start_twice(in_review, personas):
    with pytest.raises(FundingError, match="in Prüfung"):
        services.start_review(application=in_review, actor=personas.reviewer)


def test_checklist_saves_answers_and_refuses_unknown_items_and_stale_versions(in_review, personas):
    review = services.save_checklist(
        application=in_review,
        actor=personas.reviewer,
        checklist={"council_resolution": True, "financing_plan": True},
        note="Ratsbeschluss vom 12.05. liegt bei.",
        version=in_review.version,
    )
    assert review.checklist["items"]["council_resolution"] is True
    assert review.checklist["items"]["co_financing"] is False  # not ticked: not met
    assert review.checklist["note"] == "Ratsbeschluss vom 12.05. liegt bei."
    with pytest.raises(FundingError, match="Unbekannte Prüfpunkte"):
        services.save_checklist(
            application=in_review, actor=personas.reviewer, checklist={"nonsense": True}
        )
    with pytest.raises(StaleEditError) as refused:
        services.save_checklist(
            application=in_review, actor=personas.reviewer, checklist={}, version=1
        )
    assert f"von {personas.reviewer.get_full_name()} geändert" in refused.value.messages[0]


def test_visible_comments_mail_the_other_side_internal_ones_nobody(
    in_review, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(
            application=in_review, actor=personas.reviewer, text="Nur intern: Stelle prüfen."
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(
            application=in_review,
            actor=personas.reviewer,
            text="Bitte Stellenbeschreibung nachreichen.",
            visibility=CommentVisibility.MUNICIPALITY,
        )
    assert mail.outbox[-1].to == [personas.coordinator_a.email]
    assert "Stellenbeschreibung" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.add_comment(
            application=in_review, actor=personas.coordinator_a, text="Ist hochgeladen."
        )
    assert answer.visibility == CommentVisibility.MUNICIPALITY
    assert mail.outbox[-1].to == [personas.reviewer.email]  # the assigned reviewer


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "coordinator_b", "outsider"])
def test_only_coordinators_and_state_office_comment(in_review, personas, persona):
    with pytest.raises(FundingError):
        services.add_comment(application=in_review, actor=getattr(personas, persona), text="x")
    assert not Comment.objects.exists()


def test_coordinators_cannot_write_internal_comments(in_review, personas):
    with pytest.raises(FundingError):
        services.add_comment(
            application=in_review,
            actor=personas.coordinator_a,
            text="geheim",
            visibility=CommentVisibility.INTERNAL,
        )


def test_request_changes_returns_the_application_with_a_visible_message(
    in_review, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.request_changes(
            application=in_review,
            actor=personas.reviewer,
            message="Bitte die Entgeltgruppe begründen.",
            version=in_review.version,
        )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.CHANGES_REQUESTED
    assert comment.visibility == CommentVisibility.MUNICIPALITY
    assert mail.outbox[-1].to == [personas.coordinator_a.email]
    assert "Bitte die Entgeltgruppe begründen." in mail.outbox[-1].body
    with pytest.raises(FundingError):  # not in review any more
        services.request_changes(application=in_review, actor=personas.reviewer, message="x")


def test_request_changes_needs_a_message(in_review, personas):
    with pytest.raises(FundingError, match="nachbessern"):
        services.request_changes(application=in_review, actor=personas.reviewer, message="  ")


def test_resubmission_diff_shows_the_changed_amount(in_review, personas):
    services.request_changes(application=in_review, actor=personas.reviewer, message="Kürzen")
    plan = in_review.years.get(year=2028)
    plan.requested_grant = Decimal("25000.00")
    plan.save()
    line = plan.cost_lines.get()
    line.amount = Decimal("50000.00")
    line.save()
    second = submit(in_review, personas.coordinator_a)
    first = in_review.submissions.get(number=1)
    changes = services.submission_diff(first.snapshot, second.snapshot)
    euro = format_euro
    assert (
        services.Change(
            "2028: beantragte Zuwendung", euro(Decimal("29958")), euro(Decimal("25000"))
        )
        in changes
    )
    assert (
        services.Change(
            "2028, Koordinationsstelle: Betrag", euro(Decimal("59916")), euro(Decimal("50000"))
        )
        in changes
    )
    assert not [change for change in changes if change.label.startswith("2027")]


def test_diff_names_added_years_lines_and_attachments():
    older = {"purpose": "A", "years": [], "attachments": []}
    newer = {
        "purpose": "B",
        "years": [{"year": 2027, "requested_grant": "1.00", "lines": []}],
        "attachments": [{"kind": "cofinancing", "name": "kofi.pdf"}],
    }
    labels = [(c.label, c.before, c.after) for c in services.submission_diff(older, newer)]
    assert labels == [
        ("Vorhaben und Zuwendungszweck", "A", "B"),
        ("Förderjahr 2027", "nicht beantragt", "beantragt"),
        ("Erklärung zur Kofinanzierung", "–", "kofi.pdf"),
    ]


def test_recommend_in_full_tells_the_approvers(
    in_review, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.recommend(
            application=in_review,
            actor=personas.reviewer,
            recommendation=Recommendation.APPROVE,
            version=in_review.version,
        )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.RECOMMENDED
    assert review.recommended_grants == {"2027": "29958.00", "2028": "29958.00"}
    assert mail.outbox[-1].to == [personas.approver.email]
    assert format_euro(Decimal("29958")) in mail.outbox[-1].body


def test_partial_recommendation_needs_amounts_within_the_request_and_reasons(in_review, personas):
    def partial(grants, note="Stellenanteil zu hoch"):
        return services.recommend(
            application=in_review,
            actor=personas.reviewer,
            recommendation=Recommendation.PARTIAL,
            recommended_grants=grants,
            note=note,
        )

    with pytest.raises(FundingError, match=r"zwischen 0 und 29\.958,00"):
        partial({2027: Decimal("30000"), 2028: Decimal("1")})
    with pytest.raises(FundingError, match="es fehlt: 2028"):
        partial({2027: Decimal("1000")})
    with pytest.raises(FundingError, match="kein Förderjahr"):
        partial({2027: Decimal("1"), 2028: Decimal("1"), 2031: Decimal("1")})
    with pytest.raises(FundingError, match="begründen"):
        partial({2027: Decimal("1"), 2028: Decimal("1")}, note="")
    review = partial({"2027": "20000", 2028: Decimal("29958.00")})
    assert review.recommended_grants == {"2027": "20000.00", "2028": "29958.00"}


def test_rejection_needs_reasons(in_review, personas):
    with pytest.raises(FundingError, match="begründen"):
        services.recommend(
            application=in_review, actor=personas.reviewer, recommendation=Recommendation.REJECT
        )


def test_recommend_only_in_review(application, personas):
    with pytest.raises(FundingError):
        services.recommend(
            application=application,
            actor=personas.reviewer,
            recommendation=Recommendation.APPROVE,
        )


def test_reviewers_of_keeps_everyone_who_reviewed(in_review, personas):
    colleague = personas.approver  # a user with both roles is the worst case
    colleague.state_roles.create(role="state_reviewer")
    services.request_changes(application=in_review, actor=personas.reviewer, message="x")
    submit(in_review, personas.coordinator_a)
    services.start_review(application=in_review, actor=colleague)
    assert Review.objects.get(application=in_review).reviewer == colleague
    assert services.reviewers_of(in_review) == {personas.reviewer.pk, colleague.pk}
