"""The coordinator's application services: numbers, plan figures under the KeKiz rule, gaps,
submit/resubmit snapshots, attachments checked by content, stale edits, withdrawal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from funding import money
from funding.models import (
    ApplicationStatus,
    AttachmentKind,
    CostCategory,
    Submission,
)
from funding.services import applications as services
from funding.services.errors import FundingError, StaleEditError
from tests.factories_funding import ApplicationFactory, CallFactory, FundingRuleFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

PERSONNEL = {
    "category": CostCategory.PERSONNEL,
    "description": "Koordinationsstelle",
    "pay_grade": "E 11 TVöD",
    "fte": Decimal("1.00"),
    "months": 12,
    "monthly_cost": Decimal("4993.00"),
}


@pytest.fixture
def call():
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))
    FundingRuleFactory(programme=call.programme)
    return call


@pytest.fixture
def draft(call, personas):
    return services.create_application(
        call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
    )


def plan(application, actor, year, *, lines, own, third=Decimal("0")):
    return services.save_year_plan(
        application=application,
        year=year,
        actor=actor,
        expected_version=application.version,
        own_funds=own,
        third_party_funds=third,
        third_party_note="",
        lines=lines,
    )


def attach_required(application, actor):
    for kind in (AttachmentKind.COUNCIL_RESOLUTION, AttachmentKind.COFINANCING):
        services.add_attachment(
            application=application,
            kind=kind,
            uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"),
            actor=actor,
        )


def complete(application, actor):
    services.update_application(
        application=application,
        actor=actor,
        expected_version=application.version,
        purpose="Koordination der Präventionskette",
        contact_name="Erika Musterfrau",
        contact_email="erika@example.org",
        forwarding_requested=False,
        forwarding_recipient="",
    )
    for year in (2027, 2028):
        plan(application, actor, year, lines=[PERSONNEL], own=Decimal("29958.00"))
    attach_required(application, actor)


def test_create_numbers_and_years(draft, call, personas):
    ags = personas.municipality_a.ags
    assert draft.number == f"{call.programme.short_name.replace(' ', '')}-2027-{ags}-1"
    assert draft.status == ApplicationStatus.DRAFT
    assert list(draft.years.values_list("year", flat=True)) == [2027, 2028]


def test_only_one_live_application_per_call(draft, call, personas):
    with pytest.raises(FundingError, match="bereits einen laufenden Antrag"):
        services.create_application(
            call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
        )
    services.withdraw(application=draft, actor=personas.coordinator_a, reason="Neu gefasst")
    again = services.create_application(
        call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
    )
    assert again.number.endswith("-2")


def test_create_refused_outside_window_and_for_non_coordinators(personas):
    closed = CallFactory()  # window in 2026
    with pytest.raises(FundingError, match="Antragsfrist"):
        services.create_application(
            call=closed,
            municipality=personas.municipality_a,
            actor=personas.coordinator_a,
            today=closed.closes_on + timedelta(days=1),
        )
    for actor in (personas.viewer_a, personas.coordinator_b, personas.reviewer):
        with pytest.raises(FundingError, match="Nur die Koordination"):
            services.create_application(
                call=closed,
                municipality=personas.municipality_a,
                actor=actor,
                today=closed.opens_on,
            )


def test_kekiz_plan_59916_gives_29958(draft, personas):
    year = plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("29958.00"))
    assert year.eligible_costs == Decimal("59916.00")
    assert year.requested_grant == Decimal("29958.00")
    line = year.cost_lines.get()
    assert line.amount == Decimal("59916.00")  # priced from 4,993 € × 1.0 × 12
    figures = services.year_figures(draft, year)
    assert figures.co_financing == Decimal("29958.00")
    assert figures.balances
    assert draft.version == 2


def test_grant_capped_at_30000(draft, personas):
    line = {"category": CostCategory.PERSONNEL, "description": "Stelle", "amount": "70000"}
    year = plan(draft, personas.coordinator_a, 2027, lines=[line], own=Decimal("40000"))
    assert year.requested_grant == Decimal("30000.00")
    assert services.year_figures(draft, year).co_financing == Decimal("40000.00")


def test_plan_figures_are_pure_and_count_only_eligible_lines():
    terms = money.Terms(
        financing_type="anteil",
        rate=Decimal("0.5"),
        yearly_cap=Decimal("30000"),
        eligible_categories=frozenset({"personnel"}),
        min_own_share_rate=Decimal("0.1"),
    )
    figures = services.plan_figures(
        terms=terms,
        lines=[PERSONNEL, {"category": "material", "description": "Flyer", "amount": "500"}],
        own_funds=Decimal("20000"),
        third_party_funds=Decimal("0"),
    )
    assert figures.total_costs == Decimal("60416.00")
    assert figures.eligible_costs == Decimal("59916.00")
    assert figures.grant == Decimal("29958.00")
    assert figures.minimum_own_share == Decimal("5991.60")
    assert figures.shortfall == Decimal("9958.00")
    assert not figures.balances


def test_gaps_explain_everything(draft, personas):
    draft.purpose = ""
    draft.save()
    material = {"category": "material", "description": "Flyer", "amount": "500"}
    plan(draft, personas.coordinator_a, 2027, lines=[material], own=Decimal("0"))
    gaps = services.submission_gaps(draft)
    text = "\n".join(gaps)
    assert "Vorhaben" in text
    assert "2027 enthält der Finanzierungsplan keine zuwendungsfähigen Ausgaben" in text
    assert "Für 2028 fehlen Ausgabenpositionen" in text
    assert "Ratsbeschluss" in text
    assert "Kofinanzierung" in text


def test_gap_says_by_how_much_the_plan_is_off(draft, personas):
    plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("20000"))
    gaps = services.submission_gaps(draft)
    assert any("es fehlen 9.958,00\u00a0€" in gap for gap in gaps)
    plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("30000"))
    assert any("um 42,00\u00a0€" in gap for gap in services.submission_gaps(draft))


def test_gap_for_own_share_below_minimum(call, personas):
    call.programme.funding_rules.update(min_own_share_rate=Decimal("0.6"))
    application = services.create_application(
        call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
    )
    plan(application, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("29958"))
    assert any("Mindest-Eigenanteil" in gap for gap in services.submission_gaps(application))


def test_gap_for_closed_window(draft, call, personas):
    gaps = services.submission_gaps(draft, today=call.closes_on + timedelta(days=1))
    assert any("Antragsfrist" in gap for gap in gaps)


def test_submit_refused_with_all_gaps(draft, personas):
    with pytest.raises(FundingError) as refused:
        services.submit(
            application=draft, actor=personas.coordinator_a, expected_version=draft.version
        )
    assert len(refused.value.messages) >= 4
    assert draft.submissions.count() == 0


def test_submit_and_resubmit_keep_snapshots(draft, personas, django_capture_on_commit_callbacks):
    complete(draft, personas.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit(
            application=draft, actor=personas.coordinator_a, expected_version=draft.version
        )
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.submitted_at
    assert first.number == 1
    assert first.snapshot["years"][0]["requested_grant"] == "29958.00"
    assert first.snapshot["years"][0]["lines"][0]["monthly_cost"] == "4993.00"
    kinds = {attachment["kind"] for attachment in first.snapshot["attachments"]}
    assert kinds == {"council_resolution", "cofinancing"}
    assert [m.to for m in mail.outbox] == [[personas.reviewer.email]]
    assert "eingereicht" in mail.outbox[0].subject

    # The reviewer asks for changes; the coordinator lowers the plan and resubmits.
    draft.status = ApplicationStatus.CHANGES_REQUESTED
    draft.save()
    line = {**PERSONNEL, "fte": Decimal("0.50")}
    plan(draft, personas.coordinator_a, 2027, lines=[line], own=Decimal("14979.00"))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.submit(
            application=draft, actor=personas.coordinator_a, expected_version=draft.version
        )
    assert second.number == 2
    assert second.snapshot["years"][0]["eligible_costs"] == "29958.00"
    assert Submission.objects.get(pk=first.pk).snapshot["years"][0]["eligible_costs"] == (
        "59916.00"
    )
    assert "erneut eingereicht" in mail.outbox[-1].subject


def test_submitted_application_cannot_be_edited(draft, personas):
    complete(draft, personas.coordinator_a)
    services.submit(application=draft, actor=personas.coordinator_a, expected_version=draft.version)
    with pytest.raises(FundingError, match="nicht mehr geändert"):
        plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("29958"))


def test_stale_edit_refused(draft, personas):
    opened = draft.version
    plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("29958"))
    with pytest.raises(StaleEditError, match="inzwischen"):
        services.update_application(
            application=draft,
            actor=personas.coordinator_a,
            expected_version=opened,
            purpose="Neu",
            contact_name="",
            contact_email="",
            forwarding_requested=False,
            forwarding_recipient="",
        )
    draft.refresh_from_db()
    assert draft.purpose != "Neu"


def test_attachment_checked_by_content(draft, personas):
    fake = SimpleUploadedFile("beschluss.pdf", b"just text, not a PDF", "application/pdf")
    with pytest.raises(FundingError, match="kein PDF-, PNG- oder JPEG-Dokument"):
        services.add_attachment(
            application=draft,
            kind=AttachmentKind.COUNCIL_RESOLUTION,
            uploaded_file=fake,
            actor=personas.coordinator_a,
        )
    # A real PNG is accepted whatever it is called.
    attachment = services.add_attachment(
        application=draft,
        kind=AttachmentKind.COFINANCING,
        uploaded_file=SimpleUploadedFile("scan.txt", PNG, "text/plain"),
        actor=personas.coordinator_a,
    )
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "scan.txt"
    assert attachment.file.name.endswith(".png")
    assert "scan" not in attachment.file.name
    assert draft.attachments.count() == 1


@override_settings(FUNDING_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_oversize_attachment_refused(draft, personas):
    big = SimpleUploadedFile("gross.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(FundingError, match="höchstens 1 MB"):
        services.add_attachment(
            application=draft,
            kind=AttachmentKind.OTHER,
            uploaded_file=big,
            actor=personas.coordinator_a,
        )


def test_remove_attachment(draft, personas, django_capture_on_commit_callbacks):
    attachment = services.add_attachment(
        application=draft,
        kind=AttachmentKind.OTHER,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        actor=personas.coordinator_a,
    )
    name, storage = attachment.file.name, attachment.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment=attachment, actor=personas.coordinator_a)
    assert not draft.attachments.exists()
    assert not storage.exists(name)


def test_withdraw(draft, personas, django_capture_on_commit_callbacks):
    complete(draft, personas.coordinator_a)
    services.submit(application=draft, actor=personas.coordinator_a, expected_version=draft.version)
    with pytest.raises(FundingError, match="Grund"):
        services.withdraw(application=draft, actor=personas.coordinator_a, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(application=draft, actor=personas.coordinator_a, reason="Kein Personal")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.WITHDRAWN
    assert "zurückgezogen" in mail.outbox[-1].subject
    with pytest.raises(FundingError, match="nicht mehr zurückgezogen"):
        services.withdraw(application=draft, actor=personas.coordinator_a, reason="nochmal")


def test_withdraw_refused_after_decision(personas):
    application = ApplicationFactory(
        municipality=personas.municipality_a, status=ApplicationStatus.APPROVED
    )
    with pytest.raises(FundingError, match="nicht mehr zurückgezogen"):
        services.withdraw(application=application, actor=personas.coordinator_a, reason="x")


def test_changes_are_attributed(draft, personas):
    from funding.models import ApplicationEvent

    plan(draft, personas.coordinator_a, 2027, lines=[PERSONNEL], own=Decimal("29958"))
    event = ApplicationEvent.objects.filter(pgh_obj=draft).order_by("-pgh_id").first()
    assert event.pgh_context.metadata["action"] == "application.plan"
    assert event.pgh_context.metadata["user"] == personas.coordinator_a.pk
