"""Deciding: budget coverage, four-eyes, Aktenzeichen, partial approval, rejection, amendment
and the waiver of legal remedy."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from funding.models import (
    ApplicationStatus,
    Decision,
    DecisionKind,
    DocumentStatus,
    FundingDocument,
)
from funding.services import decisions
from funding.services.errors import FundingError, StaleEditError
from tests.factories import StateRoleFactory
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import (
    ELIGIBLE,
    GRANT,
    recommended_application,
    secure_2028,
)

dworld = test_decisions_world.dworld

pytestmark = pytest.mark.django_db


def approve(application, actor, **kwargs):
    options = {"kind": DecisionKind.APPROVAL, "grants": None, "reasons": ""}
    options.update(kwargs)
    return decisions.decide(
        application=application, actor=actor, forwarding_allowed=True, **options
    )


def test_approval_refused_for_a_year_whose_budget_is_only_planned(personas, dworld):
    with pytest.raises(FundingError) as refusal:
        approve(dworld.application, personas.approver)
    message = refusal.value.messages[0]
    assert (
        "Für 2028 sind keine Haushaltsmittel gesichert – nur geplant (800.000,00\u00a0€)" in message
    )
    assert "2027" not in message
    assert not Decision.objects.exists()
    dworld.application.refresh_from_db()
    assert dworld.application.status == ApplicationStatus.RECOMMENDED


def test_approval_refused_when_exceeding_names_year_and_amount(personas, dworld):
    secure_2028(dworld, amount=Decimal("20000.00"))
    dworld.budget_2027.amount = Decimal("10000.00")
    dworld.budget_2027.save()
    with pytest.raises(FundingError) as refusal:
        approve(dworld.application, personas.approver)
    message = refusal.value.messages[0]
    # Both years in one message: 29,958 − 10,000 and 29,958 − 20,000.
    assert "die gesicherten Mittel 2027 um 19.958,00\u00a0€ überschreiten" in message
    assert "die gesicherten Mittel 2028 um 9.958,00\u00a0€ überschreiten" in message


def test_other_current_grants_count_against_the_budget(personas, dworld):
    secure_2028(dworld)
    other = recommended_application(dworld.call, personas.municipality_b, personas.reviewer)
    approve(other, personas.approver)
    dworld.budget_2027.amount = GRANT * 2 - Decimal("0.01")
    dworld.budget_2027.save()
    with pytest.raises(FundingError, match="2027 um 0,01"):
        approve(dworld.application, personas.approver)


def test_the_reviewer_cannot_approve(personas, dworld):
    secure_2028(dworld)
    # The reviewer also holds the approver role: still refused for what they reviewed.
    StateRoleFactory(user=personas.reviewer, role="state_approver")
    reviewer = type(personas.reviewer).objects.get(pk=personas.reviewer.pk)
    with pytest.raises(FundingError, match="Vier-Augen-Prinzip"):
        approve(dworld.application, reviewer)
    assert not Decision.objects.exists()


def test_only_approvers_decide(personas, dworld):
    secure_2028(dworld)
    for user in (personas.coordinator_a, personas.state_admin):
        with pytest.raises(FundingError, match="Nur die Bewilligungsbehörde"):
            approve(dworld.application, user)


def test_approval_without_recommendation_is_refused(personas, dworld):
    secure_2028(dworld)
    dworld.application.status = ApplicationStatus.IN_REVIEW
    dworld.application.save()
    with pytest.raises(FundingError, match="Votum"):
        approve(dworld.application, personas.approver)


def test_stale_form_is_refused(personas, dworld):
    secure_2028(dworld)
    seen = dworld.application.version
    dworld.application.version += 1  # someone changed it after the form was opened
    dworld.application.save()
    with pytest.raises(StaleEditError):
        approve(dworld.application, personas.approver, version=seen)


def test_approver_approves(personas, dworld, django_capture_on_commit_callbacks):
    secure_2028(dworld)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = approve(dworld.application, personas.approver)
    assert decision.file_reference == "KeKiz-2027/0001"
    assert decision.kind == DecisionKind.APPROVAL
    assert decision.is_current
    assert list(decision.years.values_list("year", "eligible_costs", "grant")) == [
        (2027, ELIGIBLE, GRANT),
        (2028, ELIGIBLE, GRANT),
    ]
    assert (decision.period_start, decision.period_end) == (date(2027, 1, 1), date(2028, 12, 31))
    assert decision.financing_type == "anteil"
    assert decision.rate == Decimal("0.5")
    assert decision.yearly_cap == Decimal("30000.00")
    assert "ANBest-G" in decision.conditions
    decided_on = timezone.localdate(decision.decided_at)
    assert decision.final_on == decisions.final_on(decided_on)
    dworld.application.refresh_from_db()
    assert dworld.application.status == ApplicationStatus.APPROVED
    assert dworld.application.decided_at is not None
    # The Bescheid is queued for the worker once the decision is committed.
    document = FundingDocument.objects.get(decision=decision)
    assert document.status == DocumentStatus.QUEUED
    assert len(callbacks) >= 1
    # The next approval of the programme and first year gets the next number.
    other = recommended_application(dworld.call, personas.municipality_b, personas.reviewer)
    assert approve(other, personas.approver).file_reference == "KeKiz-2027/0002"


def test_decision_mails_municipality_and_reviewer(
    personas, dworld, django_capture_on_commit_callbacks
):
    secure_2028(dworld)
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(dworld.application, personas.approver)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {personas.coordinator_a.email, personas.reviewer.email} <= recipients
    assert personas.approver.email not in recipients
    assert any(decision.file_reference in message.body for message in mail.outbox)


def test_final_on_adds_notice_days_and_one_month():
    assert decisions.final_on(date(2027, 3, 1)) == date(2027, 4, 5)
    # 27 January + 4 days = 31 January; one month later is the last day of February.
    assert decisions.final_on(date(2027, 1, 27)) == date(2027, 2, 28)
    assert decisions.final_on(date(2027, 12, 20)) == date(2028, 1, 24)


def test_partial_approval(personas, dworld):
    decision = approve(
        dworld.application,
        personas.approver,
        kind=DecisionKind.PARTIAL_APPROVAL,
        grants={2027: Decimal("20000"), 2028: Decimal("0")},
        reasons="2028 ist haushaltsrechtlich noch nicht gesichert.",
    )
    assert list(decision.years.values_list("year", "grant")) == [(2027, Decimal("20000.00"))]
    assert decision.period_end == date(2027, 12, 31)
    dworld.application.refresh_from_db()
    assert dworld.application.status == ApplicationStatus.PARTIALLY_APPROVED


@pytest.mark.parametrize(
    ("grants", "reasons", "message"),
    [
        ({2027: Decimal("30000.01")}, "Kürzung", "übersteigt die beantragte Zuwendung"),
        ({2027: Decimal("0"), 2028: Decimal("0")}, "Kürzung", "mindestens ein Jahr"),
        ({2029: Decimal("100")}, "Kürzung", "Für 2029 wurde keine Zuwendung beantragt"),
        ({2027: GRANT, 2028: GRANT}, "Kürzung", "voller Höhe"),
        ({2027: Decimal("100")}, "", "begründen"),
    ],
)
def test_partial_approval_refusals(personas, dworld, grants, reasons, message):
    secure_2028(dworld)
    with pytest.raises(FundingError, match=message):
        approve(
            dworld.application,
            personas.approver,
            kind=DecisionKind.PARTIAL_APPROVAL,
            grants=grants,
            reasons=reasons,
        )


def test_rejection_needs_reasons_and_grants_nothing(personas, dworld):
    # No budget check: a rejection promises no money, even for an unsecured year.
    with pytest.raises(FundingError, match="begründen"):
        approve(dworld.application, personas.approver, kind=DecisionKind.REJECTION)
    decision = decisions.decide(
        application=dworld.application,
        actor=personas.approver,
        kind=DecisionKind.REJECTION,
        grants={2027: GRANT},
        reasons="Die Kofinanzierung ist nicht nachgewiesen.",
        forwarding_allowed=True,
    )
    assert not decision.years.exists()
    assert decision.forwarding_allowed is False
    assert decision.period_start is None
    dworld.application.refresh_from_db()
    assert dworld.application.status == ApplicationStatus.REJECTED


def test_second_decision_is_refused(personas, dworld):
    secure_2028(dworld)
    approve(dworld.application, personas.approver)
    with pytest.raises(FundingError, match="Votum"):
        approve(dworld.application, personas.approver)
    assert Decision.objects.count() == 1


def test_amendment_keeps_history_and_rechecks_coverage(personas, dworld):
    secure_2028(dworld, amount=GRANT)
    original = approve(
        dworld.application,
        personas.approver,
        kind=DecisionKind.PARTIAL_APPROVAL,
        grants={2027: Decimal("20000"), 2028: Decimal("20000")},
        reasons="Kürzung der Sachausgaben.",
    )
    # The old decision's own 20,000 € are released: raising 2028 to the full budget fits.
    amended = decisions.amend(
        decision=original,
        actor=personas.approver,
        grants={2027: GRANT, 2028: GRANT},
        reasons="Die Kofinanzierung ist nachgewiesen.",
    )
    original.refresh_from_db()
    assert original.is_current is False
    assert list(original.years.values_list("year", "grant")) == [
        (2027, Decimal("20000.00")),
        (2028, Decimal("20000.00")),
    ]
    assert amended.kind == DecisionKind.AMENDMENT
    assert amended.supersedes == original
    assert amended.file_reference == f"{original.file_reference}-Ä1"
    assert list(amended.years.values_list("year", "grant")) == [(2027, GRANT), (2028, GRANT)]
    dworld.application.refresh_from_db()
    assert dworld.application.status == ApplicationStatus.APPROVED
    assert FundingDocument.objects.filter(decision=amended).exists()

    # Another municipality's grant takes 2028's money; an increase no longer fits.
    dworld.budget_2028.amount = GRANT + Decimal("1000")
    dworld.budget_2028.save()
    again = decisions.amend(
        decision=amended,
        actor=personas.approver,
        grants={2027: GRANT, 2028: Decimal("1000")},
        reasons="Stelle 2028 nur teilweise besetzt.",
    )
    other = recommended_application(dworld.call, personas.municipality_b, personas.reviewer)
    decisions.decide(
        application=other,
        actor=personas.approver,
        kind=DecisionKind.PARTIAL_APPROVAL,
        grants={2027: Decimal("1000"), 2028: GRANT},
        reasons="Kürzung.",
        forwarding_allowed=False,
    )
    with pytest.raises(FundingError, match=r"2028 um 1\.000,00"):
        decisions.amend(
            decision=again,
            actor=personas.approver,
            grants={2027: GRANT, 2028: Decimal("2000")},
            reasons="Stelle doch voll besetzt.",
        )
    assert again.file_reference == f"{original.file_reference}-Ä2"
    assert Decision.objects.filter(application=dworld.application).count() == 3
    assert Decision.objects.filter(application=dworld.application, is_current=True).get() == again


def test_amendment_refusals(personas, dworld):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    with pytest.raises(FundingError, match="dieselben"):
        decisions.amend(
            decision=decision,
            actor=personas.approver,
            grants={2027: GRANT, 2028: GRANT},
            reasons="Nichts.",
        )
    StateRoleFactory(user=personas.reviewer, role="state_approver")
    reviewer = type(personas.reviewer).objects.get(pk=personas.reviewer.pk)
    with pytest.raises(FundingError, match="Vier-Augen-Prinzip"):
        decisions.amend(
            decision=decision, actor=reviewer, grants={2027: Decimal("1")}, reasons="Kürzung."
        )
    decisions.amend(
        decision=decision, actor=personas.approver, grants={2027: Decimal("1")}, reasons="K."
    )
    with pytest.raises(FundingError, match="geltende Bewilligung"):
        decisions.amend(
            decision=decision, actor=personas.approver, grants={2027: Decimal("2")}, reasons="K."
        )


def test_waiver_makes_final(personas, dworld, monkeypatch):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    assert decision.final_on > timezone.localdate()
    for user in (personas.viewer_a, personas.coordinator_b, personas.approver):
        with pytest.raises(FundingError, match="Koordination der Kommune"):
            decisions.declare_remedy_waiver(decision=decision, actor=user)
    waived = decisions.declare_remedy_waiver(decision=decision, actor=personas.coordinator_a)
    assert waived.final_on == timezone.localdate()
    assert waived.remedy_waived_at is not None
    with pytest.raises(FundingError, match="bereits erklärt"):
        decisions.declare_remedy_waiver(decision=decision, actor=personas.coordinator_a)


def test_waiver_after_the_period_is_refused(personas, dworld, monkeypatch):
    secure_2028(dworld)
    decision = approve(dworld.application, personas.approver)
    later = timezone.make_aware(datetime.combine(decision.final_on, datetime.min.time()))
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(FundingError, match="bestandskräftig"):
        decisions.declare_remedy_waiver(decision=decision, actor=personas.coordinator_a)
