"""Synthetic funding data at NRW scale for the benchmarks (issue 3, "Speed").

`fill()` gives every municipality of the reference data (≈ 430) one application in each of ten
yearly calls (2017–2026): ≈ 4,300 applications, each with its year of the financing plan and a
personnel cost line. Calls up to 2024 are decided (approved, a Bescheid with its year); 2025 is
in review, 2026 submitted – so the review queue holds about 860 applications. Written with
bulk_create (the pghistory triggers still write every event). Calling it again adds nothing.

Expects the reference data (`load_reference_data`) in the database. Only for scratch databases.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import StateRole, User
from accounts.roles import Role
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
)
from municipalities.models import Municipality, Programme

FIRST_YEAR = 2017
YEARS = 10
DECIDED_UNTIL = 2024
IN_REVIEW_YEAR = 2025
KEKIZ = money.Terms(
    financing_type=FinancingType.ANTEIL,
    rate=Decimal("0.5"),
    yearly_cap=Decimal("30000.00"),
    eligible_categories=frozenset({CostCategory.PERSONNEL}),
)


@dataclass(frozen=True)
class World:
    programme: Programme
    reviewer: User
    approver: User
    applications: int
    decisions: int


def _user(email: str, role: str) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"full_name": email})
    StateRole.objects.get_or_create(user=user, role=role)
    return user


def fill(*, seed: int = 3) -> World:
    programme = Programme.objects.get(slug="kekiz")
    reviewer = _user("funding-bench-review@example.org", Role.STATE_REVIEWER)
    approver = _user("funding-bench-approval@example.org", Role.STATE_APPROVER)
    FundingRule.objects.get_or_create(
        programme=programme,
        valid_from_year=FIRST_YEAR,
        defaults={
            "financing_type": FinancingType.ANTEIL,
            "rate": KEKIZ.rate,
            "yearly_cap": KEKIZ.yearly_cap,
            "eligible_categories": [CostCategory.PERSONNEL],
            "purpose": "Koordination der kommunalen Präventionskette",
            "conditions": "ANBest-G",
        },
    )
    if not Application.objects.filter(number__startswith="BENCH-").exists():
        with transaction.atomic():
            _fill(programme, reviewer, approver, random.Random(seed))  # noqa: S311 – not secret
        with connection.cursor() as cursor:
            for table in ("application", "applicationyear", "costline", "decision"):
                cursor.execute(f"ANALYZE funding_{table}")
    return World(
        programme,
        reviewer,
        approver,
        Application.objects.filter(number__startswith="BENCH-").count(),
        Decision.objects.filter(application__number__startswith="BENCH-").count(),
    )


def _fill(programme, reviewer, approver, rng: random.Random) -> None:
    municipalities = list(Municipality.objects.order_by("ags"))
    years = range(FIRST_YEAR, FIRST_YEAR + YEARS)
    calls = {
        year: Call.objects.create(
            programme=programme,
            title=f"Benchmark-Förderaufruf {year}",
            first_year=year,
            last_year=year,
            opens_on=date(year - 1, 9, 1),
            closes_on=date(year - 1, 12, 31),
        )
        for year in years
    }
    Budget.objects.bulk_create(
        Budget(
            programme=programme,
            fiscal_year=year,
            source=BudgetSource.LAND,
            status=BudgetStatus.APPROPRIATED,
            amount=Decimal("30000.00") * len(municipalities),
        )
        for year in years
    )
    plans = []  # (year, eligible) per application, in creation order
    applications = []
    for year in years:
        status = (
            ApplicationStatus.APPROVED
            if year <= DECIDED_UNTIL
            else ApplicationStatus.IN_REVIEW
            if year == IN_REVIEW_YEAR
            else ApplicationStatus.SUBMITTED
        )
        for municipality in municipalities:
            submitted = timezone.make_aware(
                datetime(year - 1, rng.randint(9, 12), rng.randint(1, 28), rng.randint(8, 17))
            )
            applications.append(
                Application(
                    call=calls[year],
                    municipality=municipality,
                    number=f"BENCH-{year}-{municipality.ags}",
                    status=status,
                    purpose="Koordination der Präventionskette",
                    contact_name="Koordination",
                    reviewer=None if status == ApplicationStatus.SUBMITTED else reviewer,
                    created_by=reviewer,
                    submitted_at=submitted,
                    decided_at=submitted.replace(year=year) if year <= DECIDED_UNTIL else None,
                )
            )
            plans.append((year, Decimal(rng.randint(40000, 70000))))
    Application.objects.bulk_create(applications, batch_size=1000)
    application_years = []
    for application, (year, eligible) in zip(applications, plans, strict=True):
        grant = money.grant(eligible=eligible, terms=KEKIZ)
        application_years.append(
            ApplicationYear(
                application=application,
                year=year,
                own_funds=eligible - grant,
                eligible_costs=eligible,
                requested_grant=grant,
            )
        )
    ApplicationYear.objects.bulk_create(application_years, batch_size=1000)
    CostLine.objects.bulk_create(
        (
            CostLine(
                application_year=plan,
                category=CostCategory.PERSONNEL,
                description="Koordinationsstelle",
                pay_grade="E 11 TVöD",
                fte=Decimal("1.00"),
                months=12,
                monthly_cost=money.cents(plan.eligible_costs / 12),
                amount=plan.eligible_costs,
            )
            for plan in application_years
        ),
        batch_size=1000,
    )
    decided = [
        (application, plan)
        for application, plan in zip(applications, application_years, strict=True)
        if application.status == ApplicationStatus.APPROVED
    ]
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                application=application,
                kind=DecisionKind.APPROVAL,
                file_reference=f"BENCH-{plan.year}/{number:04d}",
                decided_by=approver,
                decided_at=application.decided_at,
                reasons="Antrag vollständig.",
                financing_type=FinancingType.ANTEIL,
                rate=KEKIZ.rate,
                yearly_cap=KEKIZ.yearly_cap,
                period_start=date(plan.year, 1, 1),
                period_end=date(plan.year, 12, 31),
            )
            for number, (application, plan) in enumerate(decided, start=1)
        ),
        batch_size=1000,
    )
    DecisionYear.objects.bulk_create(
        (
            DecisionYear(
                decision=decision,
                year=plan.year,
                eligible_costs=plan.eligible_costs,
                grant=plan.requested_grant,
            )
            for decision, (_application, plan) in zip(decisions, decided, strict=True)
        ),
        batch_size=1000,
    )
