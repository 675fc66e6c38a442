"""Audit (issue 3 §11): no code path can skip the history, the history cannot be changed, and
every application shows a readable timeline to its readers."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from funding.audit import action_label, application_timeline
from funding.models import (
    Application,
    ApplicationStatus,
    Comment,
    CommentVisibility,
    CostLine,
    DecisionKind,
)
from funding.services.audit import attributed
from tests.factories_funding import ApplicationFactory, planned_year

pytestmark = pytest.mark.django_db

ApplicationEvent = Application.pgh_event_model


@pytest.fixture
def application(personas):
    application = ApplicationFactory(
        municipality=personas.municipality_a, created_by=personas.coordinator_a
    )
    planned_year(application, 2027)
    return application


def test_queryset_update_writes_an_event(application):
    before = ApplicationEvent.objects.filter(pgh_obj=application).count()
    Application.objects.filter(pk=application.pk).update(purpose="Über QuerySet.update geändert")
    events = ApplicationEvent.objects.filter(pgh_obj=application).order_by("pgh_id")
    assert events.count() == before + 1
    assert events.last().pgh_label == "update"
    assert events.last().purpose == "Über QuerySet.update geändert"


def test_raw_sql_update_writes_an_event(application):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funding_application SET status = %s WHERE id = %s",
            [ApplicationStatus.SUBMITTED, application.pk],
        )
    latest = ApplicationEvent.objects.filter(pgh_obj=application).latest("pgh_id")
    assert (latest.pgh_label, latest.status) == ("update", ApplicationStatus.SUBMITTED)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE funding_applicationevent SET purpose = 'gefälscht'",
        "DELETE FROM funding_applicationevent",
        "UPDATE funding_costlineevent SET amount = 0",
    ],
)
def test_event_tables_refuse_update_and_delete(application, statement):
    with (
        pytest.raises((InternalError, IntegrityError), match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert ApplicationEvent.objects.filter(pgh_obj=application, purpose="gefälscht").count() == 0


def test_attributed_write_stores_actor_action_and_reason(application, personas):
    with attributed(actor=personas.reviewer, action="Prüfung begonnen", reason="Eingang geprüft"):
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
    latest = (
        ApplicationEvent.objects.filter(pgh_obj=application)
        .select_related("pgh_context")
        .latest("pgh_id")
    )
    assert latest.pgh_context.metadata == {
        "user": personas.reviewer.pk,
        "action": "Prüfung begonnen",
        "reason": "Eingang geprüft",
    }


def test_timeline_shows_before_and_after_with_labels_and_euro(application, personas):
    line = CostLine.objects.get(application_year__application=application)
    with attributed(actor=personas.coordinator_a, action="application.plan"):
        line.amount = Decimal("70000.00")
        line.save()
    with attributed(actor=personas.reviewer, action="review.start", reason="vollständig"):
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)

    # One test transaction gives every event the same time; pick the entries by what they say.
    changed = {e.subject: e for e in application_timeline(application) if e.label == "geändert"}
    status_change = changed[f"Antrag {application.number}"]
    amount_change = changed["Ausgabenposition Koordinationsstelle"]

    assert status_change.who == f"{personas.reviewer.full_name} (pruefung@example.org)"
    assert (status_change.action, status_change.reason) == ("Prüfung begonnen", "vollständig")
    assert [(c.field, c.before, c.after) for c in status_change.changes] == [
        ("Status", "Entwurf", "in Prüfung")
    ]
    assert amount_change.action == "Finanzierungsplan geändert"
    assert amount_change.who == f"{personas.coordinator_a.full_name} (koordination.a@example.org)"
    assert [(c.field, c.before, c.after) for c in amount_change.changes] == [
        ("Betrag", "59.916,00\xa0€", "70.000,00\xa0€")
    ]


def test_timeline_keeps_deleted_children_and_names_the_system(application):
    CostLine.objects.filter(application_year__application=application).delete()
    (deleted,) = [e for e in application_timeline(application) if e.label == "gelöscht"]
    assert (deleted.subject, deleted.label, deleted.who) == (
        "Ausgabenposition Koordinationsstelle",
        "gelöscht",
        "System",
    )
    changes = [(c.field, c.before, c.after) for c in deleted.changes]
    assert ("Betrag", "59.916,00\xa0€", "–") in changes


def test_internal_comments_only_in_the_state_office_timeline(application, personas):
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.INTERNAL,
        text="Kofinanzierung nachfragen",
    )
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.MUNICIPALITY,
        text="Bitte Ratsbeschluss nachreichen",
    )

    def texts(internal):
        return {
            change.after
            for entry in application_timeline(application, internal=internal, kind="kommentar")
            for change in entry.changes
            if change.field == "Kommentar"
        }

    assert texts(internal=True) == {"Kofinanzierung nachfragen", "Bitte Ratsbeschluss nachreichen"}
    assert texts(internal=False) == {"Bitte Ratsbeschluss nachreichen"}


def test_timeline_reads_with_a_constant_number_of_queries(application, django_assert_num_queries):
    with django_assert_num_queries(14):  # 13 event tables + the users named
        small = application_timeline(application, internal=True)
    for year in range(2028, 2033):
        planned_year(application, year)
    with django_assert_num_queries(14):
        large = application_timeline(application, internal=True)
    assert len(large) > len(small)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_a", 200),
        ("viewer_a", 200),
        ("companion_a", 200),
        ("reviewer", 200),
        ("approver", 200),
        ("state_admin", 200),
        ("coordinator_b", 404),
        ("researcher", 404),
        ("outsider", 404),
    ],
)
def test_history_page_for_readers_only(client, personas, application, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("funding:application_history", args=[application.pk]))
    assert response.status_code == status


def test_history_page_shows_changes_filters_and_hides_internal_parts(
    client, personas, application, django_assert_max_num_queries
):
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.INTERNAL,
        text="Nur für die Landeskoordinierungsstelle",
    )
    url = reverse("funding:application_history", args=[application.pk])

    client.force_login(personas.coordinator_a)
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "59.916,00\xa0€" in page
    assert "Nur für die Landeskoordinierungsstelle" not in page
    assert 'value="pruefung"' not in page
    filtered = client.get(url, {"art": "zahlung"}).content.decode()
    assert "59.916,00\xa0€" not in filtered
    assert "In diesem Bereich wurde noch nichts geändert" in filtered

    client.force_login(personas.reviewer)
    assert "Nur für die Landeskoordinierungsstelle" in client.get(url).content.decode()


def test_history_page_paginates(client, personas, application):
    for number in range(60):
        Application.objects.filter(pk=application.pk).update(purpose=f"Fassung {number}")
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_history", args=[application.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"seite": 2}).content.decode()
    assert "Fassung 59" in first
    assert "Fassung 59" not in second
    assert "Seite 2 von 2" in second


def test_every_action_of_the_services_has_german_words():
    """A new action name in a service without words here would show as „Bearbeitung“."""
    sources = [*Path("funding/services").glob("*.py"), Path("funding/demo.py")]
    text = "\n".join(path.read_text() for path in sources)
    named = set(re.findall(r'(?:action=|ACTION = )"([\w.]+)"', text))
    # The proof service names its action after the mail event; decisions after their kind.
    proofs = Path("funding/services/proofs.py").read_text()
    named |= set(re.findall(r'event="([\w.]+)"', proofs))
    named |= {f"decision.{kind}" for kind in DecisionKind.values if kind != DecisionKind.AMENDMENT}
    assert "payment_requested" in named
    assert {name for name in named if action_label(name) == "Bearbeitung"} == set()
    assert action_label("payment_requested") == "Mittelabruf gestellt"


def test_unknown_actions_read_as_a_generic_label():
    assert action_label("something.new") == "Bearbeitung"
    assert action_label("") == ""
