"""What the payment tests share: municipality A's (and B's) application with a current, final
Bescheid granting 29,958 € for 2027 and 2028, a frozen today (1 March 2027, so the two-month
window ends on 1 May) and the personas. Decisions are made directly here, as the decision
stage's service would leave them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.models import (
    ApplicationStatus,
    Decision,
    DecisionKind,
    DecisionYear,
    FinancingType,
    PaymentRequest,
    PaymentStatus,
)
from tests.factories_funding import ApplicationFactory, CallFactory, FundingRuleFactory

TODAY = date(2027, 3, 1)
GRANT = Decimal("29958.00")


@dataclass
class PaymentWorld:
    personas: object
    application: object
    decision: object
    application_b: object


def grant_decision(application, approver, *, forwarding_allowed=True, **fields) -> Decision:
    """A current approval for 2027 and 2028, final since January unless told otherwise."""
    fields.setdefault("final_on", date(2027, 1, 15))
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.APPROVAL,
        file_reference=f"KeKiz-2027-{application.pk:04d}",
        is_current=True,
        decided_by=approver,
        decided_at=timezone.now(),
        reasons="Die Voraussetzungen liegen vor.",
        financing_type=FinancingType.ANTEIL,
        rate=Decimal("0.5"),
        yearly_cap=Decimal("30000.00"),
        period_start=date(2027, 1, 1),
        period_end=date(2028, 12, 31),
        forwarding_allowed=forwarding_allowed,
        **fields,
    )
    for year in (2027, 2028):
        DecisionYear.objects.create(
            decision=decision, year=year, eligible_costs=Decimal("59916.00"), grant=GRANT
        )
    application.status = ApplicationStatus.APPROVED
    application.save(update_fields=["status"])
    return decision


@pytest.fixture
def today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def world(personas, today) -> PaymentWorld:
    rule = FundingRuleFactory(payment_window_months=2)
    call = CallFactory(programme=rule.programme)
    application = ApplicationFactory(
        call=call, municipality=personas.municipality_a, created_by=personas.coordinator_a
    )
    application_b = ApplicationFactory(
        call=call, municipality=personas.municipality_b, created_by=personas.coordinator_b
    )
    grant_decision(application_b, personas.approver)
    return PaymentWorld(
        personas=personas,
        application=application,
        decision=grant_decision(application, personas.approver),
        application_b=application_b,
    )


def open_request(application, requested_by, *, amount=Decimal("5000.00"), status=None, **fields):
    """A request as request_payment leaves it (or further along, with status)."""
    return PaymentRequest.objects.create(
        application=application,
        year=fields.pop("year", 2027),
        amount=amount,
        needed_on=fields.pop("needed_on", date(2027, 3, 15)),
        purpose="Personalausgaben der Koordinationsstelle März",
        status=status or PaymentStatus.REQUESTED,
        requested_by=requested_by,
        **fields,
    )
