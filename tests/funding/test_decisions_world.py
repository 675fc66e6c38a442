"""What the decision tests share: municipality A's application for 2027 and 2028 (KeKiz:
eligible 59,916 € → grant 29,958 € a year), recommended by the reviewer; the 2027 budget is
appropriated, the 2028 budget only planned."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.models import ApplicationStatus, BudgetStatus, Recommendation, Review
from tests.factories_funding import (
    ApplicationFactory,
    BudgetFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)

GRANT = Decimal("29958.00")
ELIGIBLE = Decimal("59916.00")


@dataclass
class DecisionWorld:
    application: object
    call: object
    budget_2027: object
    budget_2028: object


def recommended_application(call, municipality, reviewer, *, years=(2027, 2028)):
    application = ApplicationFactory(
        call=call,
        municipality=municipality,
        status=ApplicationStatus.RECOMMENDED,
        reviewer=reviewer,
        submitted_at=timezone.now(),
    )
    for year in years:
        planned_year(application, year)
    Review.objects.create(
        application=application,
        reviewer=reviewer,
        recommendation=Recommendation.APPROVE,
        note="Förderfähig.",
    )
    return application


@pytest.fixture
def dworld(personas) -> DecisionWorld:
    rule = FundingRuleFactory()
    call = CallFactory(programme=rule.programme)
    return DecisionWorld(
        application=recommended_application(call, personas.municipality_a, personas.reviewer),
        call=call,
        budget_2027=BudgetFactory(programme=rule.programme, fiscal_year=2027),
        budget_2028=BudgetFactory(
            programme=rule.programme,
            fiscal_year=2028,
            status=BudgetStatus.PLANNED,
            amount=Decimal("800000.00"),
        ),
    )


def secure_2028(world, amount=Decimal("1000000.00")):
    world.budget_2028.status = BudgetStatus.APPROPRIATED
    world.budget_2028.amount = amount
    world.budget_2028.save()
