"""The funding demo (seed_demo): what a newcomer sees, and that seeding twice changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from funding.demo import seed_funding_demo
from funding.models import (
    Application,
    ApplicationStatus,
    Budget,
    BudgetStatus,
    Call,
    DecisionYear,
    FundingRule,
    Payment,
)
from funding.services.applications import open_calls
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(personas):
    programme = ProgrammeFactory()

    def seed():
        return seed_funding_demo(
            coordinator=personas.coordinator_a,
            reviewer=personas.reviewer,
            approver=personas.approver,
            municipality=personas.municipality_a,
            programme=programme,
        )

    return seed


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("funding").get_models()
    }


def test_demo_has_rule_calls_budgets_and_both_applications(seed, personas):
    approved = seed()

    rule = FundingRule.objects.get()
    assert (rule.rate, rule.yearly_cap) == (Decimal("0.5000"), Decimal("30000.00"))
    assert "ANBest-G" in rule.conditions
    assert [call.title for call in open_calls(date(2026, 11, 21))] == ["Förderaufruf 2027–2028"]
    assert set(Call.objects.values_list("first_year", "last_year")) == {(2026, 2026), (2027, 2028)}
    secured = {
        (b.fiscal_year, b.source) for b in Budget.objects.filter(status=BudgetStatus.APPROPRIATED)
    }
    assert {(2027, "land"), (2027, "esf")} <= secured
    assert Budget.objects.get(fiscal_year=2028).status == BudgetStatus.PLANNED

    assert approved.status == ApplicationStatus.APPROVED
    assert approved.municipality == personas.municipality_a
    granted = DecisionYear.objects.get(decision__application=approved)
    assert (granted.year, granted.eligible_costs, granted.grant) == (
        2026,
        Decimal("59916.00"),
        Decimal("29958.00"),
    )
    assert Payment.objects.get(request__application=approved).amount == Decimal("14979.00")

    draft = Application.objects.get(call__first_year=2027)
    assert draft.status == ApplicationStatus.DRAFT
    assert sorted(draft.years.values_list("year", "requested_grant")) == [
        (2027, Decimal("29958.00")),
        (2028, Decimal("29958.00")),
    ]


def test_seeding_twice_changes_nothing(seed):
    first = seed()
    counts = _row_counts()
    again = seed()
    assert again == first
    assert _row_counts() == counts  # no new rows, and no new audit events either
