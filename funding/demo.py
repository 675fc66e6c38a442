"""Demo funding data (`seed_demo`): the KeKiz rule, a closed call 2026 with an approved and
partly paid application of the demo municipality (29,958 € a year, as Kreis Lippe received),
and the call 2027–2028 open now (September to December 2026) with a draft to continue.

Idempotent: every record is found by its natural key and created only when missing, so
running the seed again changes nothing. Records are written with attribution, so the demo
application's timeline reads like a real one.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from funding import money
from funding.models import (
    Application,
    ApplicationStatus,
    ApplicationYear,
    Budget,
    BudgetSource,
    BudgetStatus,
    Call,
    CostCategory,
    CostLine,
    Decision,
    DecisionKind,
    DecisionYear,
    FinancingType,
    FundingRule,
    Payment,
    PaymentRequest,
    PaymentStatus,
    Recommendation,
    Review,
)
from funding.services.audit import attributed
from funding.services.decisions import _file_reference
from funding.services.payments import booking_reference
from funding.services.review import CHECKLIST

ACTION = "demo.seed"
CONDITIONS = (
    "Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung an Gemeinden "
    "(ANBest-G) sind Bestandteil dieses Bescheides. Der Verwendungsnachweis ist bis zum "
    "30. Juni des Folgejahres vorzulegen."
)
PURPOSE = "Koordination der kommunalen Präventionskette „Kein Kind zurücklassen!“"
# One full-time coordination post, E 11 TVöD: 12 × 4,993 € = 59,916 € → grant 29,958 €.
POST = {"monthly_cost": Decimal("4993.00"), "fte": Decimal("1.00"), "months": 12}
BUDGETS = (
    (2026, BudgetSource.LAND, BudgetStatus.APPROPRIATED, Decimal("1200000.00")),
    (2027, BudgetSource.LAND, BudgetStatus.APPROPRIATED, Decimal("600000.00")),
    (2027, BudgetSource.ESF, BudgetStatus.APPROPRIATED, Decimal("600000.00")),
    (2028, BudgetSource.LAND, BudgetStatus.PLANNED, Decimal("1200000.00")),
)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


@transaction.atomic
def seed_funding_demo(*, coordinator, reviewer, approver, municipality, programme) -> Application:
    """Create what is missing of the funding demo; returns the approved 2026 application."""
    with attributed(actor=None, action=ACTION, reason="Demodaten"):
        rule = _rule(programme)
        old_call, open_call = _calls(programme)
        for year, source, status, amount in BUDGETS:
            Budget.objects.get_or_create(
                programme=programme,
                fiscal_year=year,
                source=source,
                defaults={"status": status, "amount": amount, "reference": "Kap. 07 050"},
            )
    terms = money.Terms.of(rule)
    approved = _approved_application(
        old_call, municipality, terms, coordinator=coordinator, reviewer=reviewer
    )
    _decision_and_payment(approved, rule, terms, reviewer=reviewer, approver=approver)
    with attributed(actor=coordinator, action=ACTION, reason="Demodaten"):
        draft = _application(open_call, municipality, coordinator, ApplicationStatus.DRAFT)
        for year in open_call.years:
            _plan(draft, year, terms)
    return approved


def _rule(programme) -> FundingRule:
    rule, _created = FundingRule.objects.get_or_create(
        programme=programme,
        valid_from_year=2017,
        defaults={
            "financing_type": FinancingType.ANTEIL,
            "rate": Decimal("0.5"),
            "yearly_cap": Decimal("30000.00"),
            "eligible_categories": [CostCategory.PERSONNEL],
            "min_own_share_rate": Decimal("0"),
            "payment_window_months": 2,
            "proof_deadline_months": 6,
            "forwarding_allowed": True,
            "purpose": PURPOSE,
            "conditions": CONDITIONS,
        },
    )
    return rule


def _calls(programme) -> tuple[Call, Call]:
    old, _created = Call.objects.get_or_create(
        programme=programme,
        title="Förderaufruf 2026",
        defaults={
            "description": "Förderung der kommunalen Koordination im Jahr 2026.",
            "first_year": 2026,
            "last_year": 2026,
            "opens_on": date(2025, 9, 1),
            "closes_on": date(2025, 12, 31),
        },
    )
    open_call, _created = Call.objects.get_or_create(
        programme=programme,
        title="Förderaufruf 2027–2028",
        defaults={
            "description": (
                "Förderung der kommunalen Koordination in den Jahren 2027 und 2028; "
                "Teilnehmende verpflichten sich für mindestens zwei Jahre."
            ),
            "first_year": 2027,
            "last_year": 2028,
            "opens_on": date(2026, 9, 1),
            "closes_on": date(2026, 12, 31),
        },
    )
    return old, open_call


def _application(call, municipality, coordinator, status) -> Application:
    short_name = call.programme.short_name.replace(" ", "")
    application, _created = Application.objects.get_or_create(
        number=f"{short_name}-{call.first_year}-{municipality.ags}-1",
        defaults={
            "call": call,
            "municipality": municipality,
            "status": status,
            "purpose": PURPOSE,
            "contact_name": coordinator.get_full_name() or coordinator.email,
            "contact_email": coordinator.email,
            "created_by": coordinator,
        },
    )
    return application


def _plan(application, year: int, terms: money.Terms) -> ApplicationYear:
    amount = money.personnel_cost(**POST)
    eligible = money.eligible_costs([(CostCategory.PERSONNEL, amount)], terms)
    grant = money.grant(eligible=eligible, terms=terms)
    plan, created = ApplicationYear.objects.get_or_create(
        application=application,
        year=year,
        defaults={
            "own_funds": money.co_financing(eligible=eligible, grant_amount=grant),
            "eligible_costs": eligible,
            "requested_grant": grant,
        },
    )
    if created:
        CostLine.objects.create(
            application_year=plan,
            category=CostCategory.PERSONNEL,
            description="Koordinationsstelle Präventionskette",
            pay_grade="E 11 TVöD",
            amount=amount,
            **POST,
        )
    return plan


def _approved_application(call, municipality, terms, *, coordinator, reviewer) -> Application:
    with attributed(actor=coordinator, action=ACTION, reason="Demodaten"):
        application = _application(call, municipality, coordinator, ApplicationStatus.APPROVED)
        plan = _plan(application, 2026, terms)
    if not Application.objects.filter(pk=application.pk, submitted_at__isnull=True).exists():
        return application
    with attributed(actor=reviewer, action=ACTION, reason="Demodaten"):
        Review.objects.get_or_create(
            application=application,
            defaults={
                "reviewer": reviewer,
                "checklist": {"items": {key: True for key, _label in CHECKLIST}},
                "recommendation": Recommendation.APPROVE,
                "recommended_grants": {"2026": str(plan.requested_grant)},
                "note": "Vollständig, Kofinanzierung durch Kreistagsbeschluss gesichert.",
            },
        )
        Application.objects.filter(pk=application.pk).update(
            reviewer=reviewer,
            submitted_at=_at(date(2025, 11, 20)),
            decided_at=_at(date(2026, 1, 15)),
        )
    application.refresh_from_db()
    return application


def _decision_and_payment(application, rule, terms, *, reviewer, approver) -> None:
    plan = application.years.get(year=2026)
    with attributed(actor=approver, action=ACTION, reason="Demodaten"):
        if not Decision.objects.filter(application=application, is_current=True).exists():
            decision = Decision.objects.create(
                application=application,
                kind=DecisionKind.APPROVAL,
                file_reference=_file_reference(application, 2026),
                decided_by=approver,
                decided_at=_at(date(2026, 1, 15)),
                reasons="Der Antrag ist vollständig; die Haushaltsmittel 2026 sind veranschlagt.",
                financing_type=rule.financing_type,
                rate=rule.rate,
                yearly_cap=rule.yearly_cap,
                purpose=rule.purpose,
                conditions=rule.conditions,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                forwarding_allowed=rule.forwarding_allowed,
                final_on=date(2026, 2, 16),
            )
            DecisionYear.objects.create(
                decision=decision,
                year=2026,
                eligible_costs=plan.eligible_costs,
                grant=money.grant(eligible=plan.eligible_costs, terms=terms),
            )
        payment_request, _created = PaymentRequest.objects.get_or_create(
            application=application,
            year=2026,
            needed_on=date(2026, 2, 1),
            defaults={
                "amount": money.cents_down(plan.requested_grant / 2),
                "purpose": "Personalausgaben der Koordinationsstelle Februar bis Juli 2026",
                "status": PaymentStatus.PAID,
                "requested_by": application.created_by,
                "checked_by": reviewer,
                "checked_at": _at(date(2026, 1, 22)),
                "approved_by": approver,
                "approved_at": _at(date(2026, 1, 23)),
            },
        )
        Payment.objects.get_or_create(
            request=payment_request,
            defaults={
                "amount": payment_request.amount,
                "paid_on": date(2026, 1, 28),
                "booking_reference": booking_reference(payment_request),
            },
        )
