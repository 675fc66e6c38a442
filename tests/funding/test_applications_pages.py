"""The coordinator's application pages: allow and deny for every persona, the plan form with its
live figures, stale edits keeping the input, uploads and the permission-checked download."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funding.models import ApplicationStatus, AttachmentKind, CostCategory
from funding.services import applications as services
from tests.factories_funding import (
    ApplicationFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def call():
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5))
    FundingRuleFactory(programme=call.programme)
    return call


@pytest.fixture
def application(call, personas):
    application = services.create_application(
        call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
    )
    services.add_attachment(
        application=application,
        kind=AttachmentKind.COUNCIL_RESOLUTION,
        uploaded_file=SimpleUploadedFile("beschluss.pdf", PDF),
        actor=personas.coordinator_a,
    )
    application.refresh_from_db()
    return application


def pages(application):
    attachment = application.attachments.get()
    pk = application.pk
    return {
        "detail": (reverse("funding:application_detail", args=[pk]), "read"),
        "attachments": (reverse("funding:application_attachments", args=[pk]), "read"),
        "download": (
            reverse("funding:attachment_download", args=[pk, attachment.pk]),
            "read",
        ),
        "edit": (reverse("funding:application_edit", args=[pk]), "write"),
        "plan": (reverse("funding:application_plan", args=[pk, 2027]), "write"),
        "submit": (reverse("funding:application_submit", args=[pk]), "write"),
        "withdraw": (reverse("funding:application_withdraw", args=[pk]), "write"),
        "delete": (reverse("funding:attachment_delete", args=[pk, attachment.pk]), "write"),
    }


READERS = ("coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin")
WRITERS = ("coordinator_a",)


@pytest.mark.parametrize(
    "persona",
    [*READERS, "coordinator_b", "researcher", "outsider"],
)
def test_permission_matrix(client, personas, application, persona):
    client.force_login(getattr(personas, persona))
    for name, (url, needs) in pages(application).items():
        allowed = persona in (WRITERS if needs == "write" else READERS)
        response = client.get(url)
        assert response.status_code == (200 if allowed else 404), (name, persona)
    # Writes by readers are refused the same way, and change nothing.
    if persona not in WRITERS:
        url = reverse("funding:application_edit", args=[application.pk])
        response = client.post(url, {"version": application.version, "purpose": "X"})
        assert response.status_code == 404
        preview = reverse("funding:application_plan_preview", args=[application.pk, 2027])
        assert client.post(preview, {}).status_code == 404
        upload = reverse("funding:application_attachments", args=[application.pk])
        assert client.post(upload, {"kind": "other"}).status_code == 404
        application.refresh_from_db()
        assert application.purpose != "X"


def test_anonymous_goes_to_login(client, application):
    for url, _needs in pages(application).values():
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    response = client.get(reverse("funding:application_list"))
    assert response.status_code == 302


def test_download_serves_the_file_as_attachment(client, personas, application):
    client.force_login(personas.viewer_a)
    attachment = application.attachments.get()
    response = client.get(
        reverse("funding:attachment_download", args=[application.pk, attachment.pk])
    )
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="beschluss.pdf"' in response["Content-Disposition"]
    # The attachment of another application is not reachable through this one.
    other = ApplicationFactory(municipality=personas.municipality_a)
    url = reverse("funding:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_list_shows_readable_applications_with_constant_queries(
    client, personas, call, django_assert_max_num_queries
):
    for _ in range(3):
        planned_year(ApplicationFactory(municipality=personas.municipality_a), 2027)
    hidden = ApplicationFactory(municipality=personas.municipality_b, number="B-SICHTBAR-NICHT")
    client.force_login(personas.coordinator_a)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("funding:application_list"))
    assert response.context["page"].paginator.count == 3
    assert hidden.number not in response.content.decode()
    assert "Neuer Antrag" in response.content.decode()
    assert "29.958,00\u00a0€" in response.content.decode()
    for _ in range(10):
        planned_year(ApplicationFactory(municipality=personas.municipality_a), 2027)
    with django_assert_max_num_queries(13):
        client.get(reverse("funding:application_list"))
    # The state office sees all, the viewer no create button.
    client.force_login(personas.reviewer)
    assert client.get(reverse("funding:application_list")).context["page"].paginator.count == 14
    client.force_login(personas.viewer_a)
    assert "Neuer Antrag" not in client.get(reverse("funding:application_list")).content.decode()


def test_list_filters_and_search(client, personas, call):
    first = ApplicationFactory(municipality=personas.municipality_a, call=call, number="KeKiz-1")
    planned_year(first, 2027)
    ApplicationFactory(
        municipality=personas.municipality_a, status=ApplicationStatus.SUBMITTED, number="X-2"
    )
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_list")
    assert (
        next(iter(client.get(url, {"status": "submitted"}).context["page"].object_list)).number
        == "X-2"
    )
    assert client.get(url, {"jahr": 2027}).context["page"].paginator.count == 1
    assert client.get(url, {"aufruf": call.pk}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "kekiz"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "Kommune A"}).context["page"].paginator.count == 2


def test_create_page(client, personas, call):
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"municipality": personas.municipality_a.pk, "call": call.pk})
    application = personas.municipality_a.funding_applications.get()
    assert response["Location"] == reverse("funding:application_edit", args=[application.pk])
    # A municipality the user does not coordinate is not offered.
    response = client.post(url, {"municipality": personas.municipality_b.pk, "call": call.pk})
    assert response.status_code == 200
    assert not personas.municipality_b.funding_applications.exists()
    client.force_login(personas.viewer_a)
    assert client.get(url).status_code == 404


def plan_post(application, **overrides):
    data = {
        "version": application.version,
        "own_funds": "29958,00",
        "third_party_funds": "0",
        "third_party_note": "",
        "zeilen-TOTAL_FORMS": "1",
        "zeilen-INITIAL_FORMS": "0",
        "zeilen-0-category": CostCategory.PERSONNEL,
        "zeilen-0-description": "Koordinationsstelle",
        "zeilen-0-pay_grade": "E 11",
        "zeilen-0-fte": "1",
        "zeilen-0-months": "12",
        "zeilen-0-monthly_cost": "4993",
        "zeilen-0-amount": "",
    }
    data.update(overrides)
    return data


def test_plan_page_saves_and_previews(client, personas, application):
    client.force_login(personas.coordinator_a)
    preview = reverse("funding:application_plan_preview", args=[application.pk, 2027])
    response = client.post(preview, plan_post(application, own_funds="20000"))
    html = response.content.decode()
    assert "29.958,00\u00a0€" in html  # the grant, live
    assert "es fehlen 9.958,00\u00a0€" in html
    url = reverse("funding:application_plan", args=[application.pk, 2027])
    response = client.post(url, plan_post(application, zeile_hinzufuegen="1"))
    assert len(response.context["formset"].forms) == 2
    response = client.post(url, plan_post(application))
    assert response.status_code == 302
    year = application.years.get(year=2027)
    assert year.requested_grant == Decimal("29958.00")


def test_stale_plan_keeps_the_input(client, personas, application):
    client.force_login(personas.coordinator_a)
    stale = plan_post(application, **{"zeilen-0-description": "Meine Eingabe"})
    stale["version"] = application.version - 1
    response = client.post(reverse("funding:application_plan", args=[application.pk, 2027]), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "inzwischen" in html
    assert "Meine Eingabe" in html
    assert not application.years.get(year=2027).cost_lines.exists()


def test_upload_refuses_fake_pdf_with_a_message(client, personas, application):
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_attachments", args=[application.pk])
    fake = SimpleUploadedFile("beschluss.pdf", b"Hallo", "application/pdf")
    response = client.post(url, {"kind": AttachmentKind.COFINANCING, "file": fake})
    assert response.status_code == 200
    assert "kein PDF-, PNG- oder JPEG-Dokument" in response.content.decode()
    png = SimpleUploadedFile("erklaerung.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png")
    response = client.post(url, {"kind": AttachmentKind.COFINANCING, "file": png})
    assert response.status_code == 302
    assert application.attachments.count() == 2


def test_delete_attachment_needs_confirmation(client, personas, application):
    client.force_login(personas.coordinator_a)
    attachment = application.attachments.get()
    url = reverse("funding:attachment_delete", args=[application.pk, attachment.pk])
    assert client.post(url, {}).status_code == 200
    assert application.attachments.exists()
    assert client.post(url, {"confirmed": "on"}).status_code == 302
    assert not application.attachments.exists()


def test_submit_page_lists_gaps_then_submits(client, personas, application):
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_submit", args=[application.pk])
    html = client.get(url).content.decode()
    assert "Beschreiben Sie das Vorhaben" in html
    assert "Erklärung zur Kofinanzierung" in html
    response = client.post(url, {"version": application.version, "confirmed": "on"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_withdraw_page(client, personas, application):
    client.force_login(personas.coordinator_a)
    url = reverse("funding:application_withdraw", args=[application.pk])
    assert client.post(url, {"reason": "Kein Personal"}).status_code == 200  # no confirmation
    response = client.post(url, {"reason": "Kein Personal", "confirmed": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_detail_shows_only_municipality_comments(client, personas, application):
    from funding.models import Comment, CommentVisibility

    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.MUNICIPALITY,
        text="Bitte Stellenanteil begründen",
    )
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.INTERNAL,
        text="Intern: Haushalt knapp",
    )
    client.force_login(personas.viewer_a)
    html = client.get(reverse("funding:application_detail", args=[application.pk])).content.decode()
    assert "Bitte Stellenanteil begründen" in html
    assert "Intern: Haushalt knapp" not in html
