"""What the proof-of-use tests share: municipality A's application with a current Bescheid for
2027 (KeKiz: eligible 59,916 €, grant 29,958 €), its plan and a payout of the whole grant.
Decisions and payments are made directly here, as their own stages' services would leave them."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.models import (
    Decision,
    DecisionKind,
    DecisionYear,
    FinancingType,
    Payment,
    PaymentRequest,
    PaymentStatus,
)
from funding.services import proofs
from tests.factories_funding import (
    ApplicationFactory,
    CallFactory,
    FundingRuleFactory,
    planned_year,
)

GRANT = Decimal("29958.00")


@dataclass
class World:
    application: object
    decision: object
    decision_year: object
    rule: object


def decide(application, approver, *, grants: dict[int, Decimal], eligible=Decimal("59916.00")):
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.APPROVAL,
        file_reference=f"KeKiz-{application.pk}-{Decision.objects.count() + 1}",
        decided_by=approver,
        decided_at=timezone.now(),
        reasons="Die Voraussetzungen liegen vor.",
        financing_type=FinancingType.ANTEIL,
        rate=Decimal("0.5"),
        yearly_cap=Decimal("30000.00"),
    )
    years = [
        DecisionYear.objects.create(
            decision=decision, year=year, eligible_costs=eligible, grant=grant
        )
        for year, grant in grants.items()
    ]
    return decision, years


_booking = iter(range(1, 10_000))


def pay(application, year, amount, paid_on: date, personas):
    request = PaymentRequest.objects.create(
        application=application,
        year=year,
        amount=amount,
        needed_on=paid_on,
        purpose="Personalausgaben der Koordinationsstelle",
        status=PaymentStatus.PAID,
        requested_by=personas.coordinator_a,
        checked_by=personas.reviewer,
        checked_at=timezone.make_aware(datetime.combine(paid_on, datetime.min.time())),
        approved_by=personas.approver,
        approved_at=timezone.make_aware(datetime.combine(paid_on, datetime.min.time())),
    )
    return Payment.objects.create(
        request=request,
        amount=amount,
        paid_on=paid_on,
        booking_reference=f"BZ-{application.pk}-{next(_booking)}",
    )


@pytest.fixture
def world(personas) -> World:
    call = CallFactory()
    rule = FundingRuleFactory(programme=call.programme)
    application = ApplicationFactory(
        call=call,
        municipality=personas.municipality_a,
        created_by=personas.coordinator_a,
        status="approved",
    )
    planned_year(application, 2027)
    decision, (decision_year,) = decide(application, personas.approver, grants={2027: GRANT})
    return World(application, decision, decision_year, rule)


def opened(world, personas, *, actual=None, narrative="", paid_on=date(2027, 3, 1)):
    """A proof of 2027 with the whole grant paid out on `paid_on` and, if given, actual costs."""
    pay(world.application, 2027, GRANT, paid_on, personas)
    proof = proofs.open_proof(
        application=world.application, year=2027, actor=personas.coordinator_a
    )
    if actual is not None or narrative:
        line = proof.lines.get()
        proof = proofs.save_proof(
            proof=proof,
            actor=personas.coordinator_a,
            expected_version=proof.version,
            narrative=narrative,
            lines=[{"id": line.pk, "actual": actual if actual is not None else Decimal(0)}],
            actual_own_funds=proof.actual_own_funds,
            actual_third_party_funds=proof.actual_third_party_funds,
        )
    return proof
