"""A Bescheid keeps the deadlines it promised: a later change of the rule moves neither the proof
due dates nor the payment window, and a re-rendered Bescheid reads the same."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.template.loader import render_to_string

from funding.models import Decision, DecisionKind, FundingRule
from funding.services import decisions, payments, proofs
from funding.services.errors import FundingError
from tests.funding import test_decisions_world
from tests.funding.test_decisions_world import secure_2028

dworld = test_decisions_world.dworld

pytestmark = pytest.mark.django_db


def approved(world, approver) -> Decision:
    secure_2028(world)
    return decisions.decide(
        application=world.application,
        actor=approver,
        kind=DecisionKind.APPROVAL,
        grants=None,
        reasons="",
        forwarding_allowed=False,
    )


def change_rule(world, **fields):
    FundingRule.objects.filter(programme=world.call.programme).update(**fields)


def bescheid(decision) -> str:
    return render_to_string("funding/pdf/bescheid.html", decisions.bescheid_context(decision))


def test_decision_copies_the_rules_deadlines_and_keeps_them(personas, dworld):
    change_rule(dworld, payment_window_months=3, proof_deadline_months=4)
    decision = approved(dworld, personas.approver)
    assert (decision.payment_window_months, decision.proof_deadline_months) == (3, 4)
    before = bescheid(decision)
    assert "für 2027 bis 30.04.2028" in before
    assert "innerhalb von 3 Monaten" in before

    change_rule(dworld, payment_window_months=1, proof_deadline_months=12)
    assert bescheid(decision) == before
    assert proofs.proof_due_on(decision, 2027) == date(2028, 4, 30)


def test_amendment_keeps_the_deadlines_of_the_decision_it_changes(personas, dworld):
    change_rule(dworld, payment_window_months=3, proof_deadline_months=4)
    decision = approved(dworld, personas.approver)
    change_rule(dworld, payment_window_months=1, proof_deadline_months=12)
    amended = decisions.amend(
        decision=decision,
        actor=personas.approver,
        grants={2027: Decimal("20000.00"), 2028: Decimal("29958.00")},
        reasons="Kürzung 2027",
    )
    assert (amended.payment_window_months, amended.proof_deadline_months) == (3, 4)


def test_payment_window_is_the_decisions(personas, dworld, monkeypatch):
    decision = approved(dworld, personas.approver)
    decision.payment_window_months = 1
    decision.save()
    change_rule(dworld, payment_window_months=6)
    monkeypatch.setattr(payments.timezone, "localdate", lambda: date(2027, 3, 1))
    with pytest.raises(FundingError) as refusal:
        payments.request_payment(
            application=dworld.application,
            year=2027,
            amount=Decimal("1000.00"),
            needed_on=date(2027, 5, 1),
            purpose="Personal",
            actor=personas.coordinator_a,
        )
    assert "innerhalb von 1 Monaten" in refusal.value.messages[0]


def test_letterhead_names_the_authority_from_the_settings(personas, dworld, settings):
    decision = approved(dworld, personas.approver)
    assert "Landeskoordinierungsstelle „" in bescheid(decision)
    settings.FUNDING_AUTHORITY_NAME = "Ministerium für Kinder, Jugend und Familie NRW"
    settings.FUNDING_AUTHORITY_ADDRESS = ["Völklinger Straße 4", "40219 Düsseldorf"]
    html = bescheid(decision)
    assert "Ministerium für Kinder, Jugend und Familie NRW<br>Völklinger Straße 4<br>" in html
    assert "Ministerium für Kinder, Jugend und Familie NRW · Völklinger Straße 4 · 40219" in html


def test_migration_copies_the_deadlines_from_the_rule(personas, dworld):
    decision = approved(dworld, personas.approver)
    Decision.objects.filter(pk=decision.pk).update(payment_window_months=2, proof_deadline_months=6)
    change_rule(dworld, payment_window_months=3, proof_deadline_months=9)
    migration = importlib.import_module("funding.migrations.0002_decision_copies_deadlines")
    migration.copy_deadlines(apps, None)
    decision.refresh_from_db()
    assert (decision.payment_window_months, decision.proof_deadline_months) == (3, 9)
