"""API of rules, calls, budgets and coverage: who reads and writes, refusals in the one error
format, constant queries."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from funding.models import Budget, BudgetStatus
from tests.factories_funding import (
    ApplicationFactory,
    BudgetFactory,
    CallFactory,
    FundingRuleFactory,
)
from tests.funding.test_administration_services import promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_rules_and_calls_are_read_by_every_signed_in_caller(api, personas):
    FundingRuleFactory()
    CallFactory()
    assert api.get("/api/v1/funding/rules/").status_code in (401, 403)
    for name in ("coordinator_b", "researcher", "reviewer"):
        as_user(api, getattr(personas, name))
        rules = api.get("/api/v1/funding/rules/").json()["results"]
        assert rules[0]["rate"] == "0.5000"
        assert rules[0]["yearly_cap"] == "30000.00"
        calls = api.get("/api/v1/funding/calls/").json()["results"]
        assert calls[0]["first_year"] == 2027


def test_only_the_programme_administration_writes(api, personas):
    rule = FundingRuleFactory()
    for name in ("coordinator_a", "reviewer", "approver"):
        response = as_user(api, getattr(personas, name)).patch(
            f"/api/v1/funding/rules/{rule.pk}/", {"rate": "0.4"}, format="json"
        )
        assert response.status_code == 403, name
        assert response.json()["error"]["code"] == "permission_denied"
    response = as_user(api, personas.state_admin).patch(
        f"/api/v1/funding/rules/{rule.pk}/", {"rate": "0.4", "reason": "Erlass"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["rate"] == "0.4000"


def test_rule_validation_is_a_field_error(api, personas):
    rule = FundingRuleFactory()
    response = as_user(api, personas.state_admin).patch(
        f"/api/v1/funding/rules/{rule.pk}/",
        {"financing_type": "festbetrag"},
        format="json",
    )
    assert response.status_code == 400
    assert "fixed_amount" in response.json()["error"]["details"]


def test_budgets_are_for_the_state_office(api, personas):
    budget = BudgetFactory()
    assert (
        as_user(api, personas.coordinator_a).get("/api/v1/funding/budgets/").json()["results"] == []
    )
    assert api.get(f"/api/v1/funding/budgets/{budget.pk}/").status_code == 404
    rows = as_user(api, personas.reviewer).get("/api/v1/funding/budgets/?fiscal_year=2027")
    assert rows.json()["results"][0]["amount"] == "1000000.00"
    assert rows.json()["results"][0]["is_secured"] is True


def test_budget_cut_below_commitments_is_a_409_with_the_shortfall(api, personas):
    budget = BudgetFactory(fiscal_year=2027)
    promise(ApplicationFactory(), {2027: Decimal("29958.00")})
    response = as_user(api, personas.state_admin).patch(
        f"/api/v1/funding/budgets/{budget.pk}/", {"status": "planned"}, format="json"
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "refused"
    assert "2027" in error["message"]
    assert "29.958,00" in error["message"]
    assert Budget.objects.get().status == BudgetStatus.APPROPRIATED


def test_budget_created_through_the_api(api, personas):
    FundingRuleFactory()
    response = as_user(api, personas.state_admin).post(
        "/api/v1/funding/budgets/",
        {
            "programme": "kekiz",
            "fiscal_year": 2029,
            "source": "esf",
            "status": "commitment",
            "amount": "120000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Budget.objects.get(fiscal_year=2029).amount == Decimal("120000.00")


def test_coverage_per_year_for_the_state_office(api, personas):
    BudgetFactory(fiscal_year=2027, amount=Decimal("50000.00"))
    promise(ApplicationFactory(), {2027: Decimal("29958.00"), 2028: Decimal("29958.00")})
    rows = as_user(api, personas.approver).get("/api/v1/funding/coverage/").json()
    by_year = {row["year"]: row for row in rows}
    assert by_year[2027]["free"] == "20042.00"
    assert by_year[2027]["secured_by_source"] == {"land": "50000.00"}
    assert by_year[2027]["covered"] is True
    assert by_year[2028]["covered"] is False
    assert as_user(api, personas.coordinator_a).get("/api/v1/funding/coverage/").status_code == 404


def test_coverage_of_a_municipality_for_its_members_only(api, personas):
    BudgetFactory(fiscal_year=2027)
    promise(
        ApplicationFactory(municipality=personas.municipality_a),
        {2027: Decimal("29958.00"), 2028: Decimal("29958.00")},
    )
    url = f"/api/v1/funding/coverage/?municipality={personas.municipality_a.ags}"
    rows = as_user(api, personas.viewer_a).get(url).json()
    assert [(row["year"], row["financed"]) for row in rows] == [(2027, True), (2028, False)]
    assert rows[0]["file_reference"] == "KeKiz-2027-0001"
    assert as_user(api, personas.reviewer).get(url).status_code == 200
    for name in ("coordinator_b", "researcher", "outsider"):
        assert as_user(api, getattr(personas, name)).get(url).status_code == 404, name


def test_lists_run_constant_queries(api, personas, django_assert_max_num_queries):
    for year in range(2020, 2040):
        BudgetFactory(fiscal_year=year)
        CallFactory(first_year=year, last_year=year)
    FundingRuleFactory()
    as_user(api, personas.state_admin)
    for url in (
        "/api/v1/funding/rules/",
        "/api/v1/funding/calls/",
        "/api/v1/funding/budgets/",
        "/api/v1/funding/coverage/",
    ):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200, url
