"""Programme administration services: rules, calls, budgets – and the two promises they keep:
a rule change never alters a Bescheid, a budget change never leaves granted money unsecured."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.models import (
    Budget,
    BudgetEvent,
    BudgetSource,
    BudgetStatus,
    Decision,
    DecisionKind,
    DecisionYear,
    FinancingType,
)
from funding.services import administration as services
from funding.services.errors import FundingError
from tests.factories import ProgrammeFactory
from tests.factories_funding import (
    ApplicationFactory,
    BudgetFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)

pytestmark = pytest.mark.django_db


def promise(application, grants: dict[int, Decimal], *, reference="KeKiz-2027-0001", actor=None):
    """A current approval of the application granting `grants` per year, with the rule's
    terms copied as the decision service does."""
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.APPROVAL,
        file_reference=reference,
        decided_by=actor or application.created_by,
        decided_at=timezone.now(),
        reasons="Die Voraussetzungen sind erfüllt.",
        financing_type=FinancingType.ANTEIL,
        rate=Decimal("0.5"),
        yearly_cap=Decimal("30000.00"),
        purpose="Koordination der kommunalen Präventionskette",
        conditions="ANBest-G",
    )
    for year, grant in grants.items():
        DecisionYear.objects.create(
            decision=decision, year=year, eligible_costs=grant * 2, grant=grant
        )
    return decision


def test_budget_cut_below_commitments_is_refused_with_year_and_shortfall(personas):
    budget = BudgetFactory(fiscal_year=2027, amount=Decimal("100000.00"))
    promise(ApplicationFactory(), {2027: Decimal("29958.00")})
    with pytest.raises(FundingError) as refusal:
        services.update_budget(
            budget=budget, actor=personas.state_admin, amount=Decimal("20000.00")
        )
    message = refusal.value.messages[0]
    assert "2027" in message
    assert "9.958,00\u00a0€" in message  # 29,958 granted − 20,000 secured
    budget.refresh_from_db()
    assert budget.amount == Decimal("100000.00")


def test_budget_set_to_planned_is_refused_while_grants_depend_on_it(personas):
    budget = BudgetFactory(fiscal_year=2027)
    promise(ApplicationFactory(), {2027: Decimal("30000.00")})
    with pytest.raises(FundingError, match=r"30\.000,00"):
        services.update_budget(
            budget=budget, actor=personas.state_admin, status=BudgetStatus.PLANNED
        )


def test_budget_cut_within_free_money_is_saved_and_attributed(personas):
    budget = BudgetFactory(fiscal_year=2027, amount=Decimal("100000.00"))
    promise(ApplicationFactory(), {2027: Decimal("29958.00")})
    services.update_budget(
        budget=budget, actor=personas.state_admin, amount=Decimal("29958.00"), reason="Nachtrag"
    )
    budget.refresh_from_db()
    assert budget.amount == Decimal("29958.00")
    event = BudgetEvent.objects.filter(pgh_obj=budget).order_by("pgh_id").last()
    assert event.pgh_context.metadata["user"] == personas.state_admin.pk
    assert event.pgh_context.metadata["reason"] == "Nachtrag"


def test_a_second_secured_source_may_replace_the_first(personas):
    """The check looks at the year's total: ESF money can take over from Land money."""
    land = BudgetFactory(fiscal_year=2027, amount=Decimal("30000.00"))
    BudgetFactory(fiscal_year=2027, source=BudgetSource.ESF, amount=Decimal("30000.00"))
    promise(ApplicationFactory(), {2027: Decimal("30000.00")})
    services.update_budget(budget=land, actor=personas.state_admin, amount=Decimal("0.00"))
    land.refresh_from_db()
    assert land.amount == Decimal("0.00")


def test_only_the_programme_administration_writes(personas):
    budget = BudgetFactory()
    for user in (personas.reviewer, personas.approver, personas.coordinator_a):
        with pytest.raises(FundingError):
            services.update_budget(budget=budget, actor=user, amount=Decimal("1.00"))
        with pytest.raises(FundingError):
            services.create_call(
                programme=budget.programme,
                actor=user,
                title="x",
                first_year=2027,
                last_year=2027,
                opens_on=date(2026, 1, 1),
                closes_on=date(2026, 2, 1),
            )


def test_budget_in_use_cannot_be_deleted_unused_can(personas):
    used = BudgetFactory(fiscal_year=2027)
    planned_year(ApplicationFactory(), 2027)
    with pytest.raises(FundingError, match="2027"):
        services.delete_budget(budget=used, actor=personas.state_admin)
    unused = BudgetFactory(fiscal_year=2031)
    services.delete_budget(budget=unused, actor=personas.state_admin)
    assert not Budget.objects.filter(pk=unused.pk).exists()
    assert Budget.objects.filter(pk=used.pk).exists()


def test_duplicate_budget_is_refused_on_the_source_field(personas):
    BudgetFactory(fiscal_year=2027)
    with pytest.raises(FundingError) as refusal:
        services.create_budget(
            programme=ProgrammeFactory(),
            fiscal_year=2027,
            source=BudgetSource.LAND,
            status=BudgetStatus.PLANNED,
            amount=Decimal("5.00"),
            actor=personas.state_admin,
        )
    assert "source" in refusal.value.message_dict


def test_rule_change_leaves_a_copied_decision_untouched(personas):
    rule = FundingRuleFactory()
    decision = promise(ApplicationFactory(), {2027: Decimal("29958.00")})
    services.update_rule(
        rule=rule,
        actor=personas.state_admin,
        rate=Decimal("0.4"),
        yearly_cap=Decimal("20000.00"),
        conditions="Neue Nebenbestimmungen",
    )
    rule.refresh_from_db()
    assert rule.rate == Decimal("0.4000")
    decision.refresh_from_db()
    assert (decision.rate, decision.yearly_cap) == (Decimal("0.5000"), Decimal("30000.00"))
    assert decision.conditions == "ANBest-G"
    assert decision.years.get().grant == Decimal("29958.00")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"financing_type": FinancingType.ANTEIL, "rate": None}, "rate"),
        ({"financing_type": FinancingType.FESTBETRAG, "fixed_amount": None}, "fixed_amount"),
        ({"eligible_categories": []}, "eligible_categories"),
    ],
)
def test_rule_validation_names_the_field(personas, values, field):
    rule = FundingRuleFactory()
    with pytest.raises(FundingError) as refusal:
        services.update_rule(rule=rule, actor=personas.state_admin, **values)
    assert field in refusal.value.message_dict


def test_second_rule_for_the_same_year_is_refused(personas):
    rule = FundingRuleFactory()
    with pytest.raises(FundingError) as refusal:
        services.create_rule(
            programme=rule.programme,
            actor=personas.state_admin,
            valid_from_year=rule.valid_from_year,
            financing_type=FinancingType.FESTBETRAG,
            fixed_amount=Decimal("10000.00"),
            eligible_categories=["personnel"],
            purpose="x",
            conditions="y",
        )
    assert "valid_from_year" in refusal.value.message_dict


def test_call_window_and_years_must_be_ordered(personas):
    call = CallFactory()
    with pytest.raises(FundingError) as refusal:
        services.update_call(
            call=call,
            actor=personas.state_admin,
            first_year=2029,
            last_year=2028,
            closes_on=date(2026, 1, 1),
        )
    assert set(refusal.value.message_dict) == {"last_year", "closes_on"}


def test_call_years_are_fixed_once_applications_exist(personas):
    call = CallFactory()
    services.update_call(call=call, actor=personas.state_admin, last_year=2029)
    ApplicationFactory(call=call)
    with pytest.raises(FundingError, match="2027–2029"):
        services.update_call(call=call, actor=personas.state_admin, last_year=2030)
    services.update_call(call=call, actor=personas.state_admin, title="Neuer Titel")
    call.refresh_from_db()
    assert (call.title, call.last_year) == ("Neuer Titel", 2029)
    with pytest.raises(FundingError):
        services.delete_call(call=call, actor=personas.state_admin)
