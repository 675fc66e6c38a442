"""Factories for funding: the KeKiz rule (Anteil 50 %, cap 30,000 €, personnel costs), a call,
budgets and applications with a financing plan. Build only what a test needs."""

from datetime import date
from decimal import Decimal

import factory

from funding.models import (
    Application,
    ApplicationYear,
    Budget,
    BudgetSource,
    BudgetStatus,
    Call,
    CostCategory,
    CostLine,
    FinancingType,
    FundingRule,
)
from tests.factories import MunicipalityFactory, ProgrammeFactory, UserFactory

KEKIZ_CONDITIONS = (
    "Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung an Gemeinden "
    "(ANBest-G) sind Bestandteil dieses Bescheides."
)


class FundingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRule

    programme = factory.SubFactory(ProgrammeFactory)
    valid_from_year = 2017
    financing_type = FinancingType.ANTEIL
    rate = Decimal("0.5")
    yearly_cap = Decimal("30000.00")
    eligible_categories = [CostCategory.PERSONNEL]
    min_own_share_rate = Decimal("0")
    purpose = "Koordination der kommunalen Präventionskette"
    conditions = KEKIZ_CONDITIONS


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Förderaufruf {n}")
    first_year = 2027
    last_year = 2028
    opens_on = date(2026, 9, 1)
    closes_on = date(2026, 12, 31)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    programme = factory.SubFactory(ProgrammeFactory)
    fiscal_year = 2027
    source = BudgetSource.LAND
    status = BudgetStatus.APPROPRIATED
    amount = Decimal("1000000.00")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: f"A-2027-{n:05d}")
    purpose = "Koordination der Präventionskette „Kein Kind zurücklassen!“"
    contact_name = "Erika Musterfrau"
    created_by = factory.SubFactory(UserFactory)


class ApplicationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationYear

    application = factory.SubFactory(ApplicationFactory)
    year = 2027


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    application_year = factory.SubFactory(ApplicationYearFactory)
    category = CostCategory.PERSONNEL
    description = "Koordinationsstelle"
    pay_grade = "E 11 TVöD"
    fte = Decimal("1.00")
    months = 12
    monthly_cost = Decimal("4993.00")
    amount = Decimal("59916.00")


def planned_year(application, year, *, eligible=Decimal("59916.00"), grant=None, own=None):
    """A year of the financing plan with one personnel line; figures as the services keep them
    (grant 50 % up to 30,000 €, the rest own funds)."""
    grant = grant if grant is not None else min(eligible / 2, Decimal("30000.00"))
    own = own if own is not None else eligible - grant
    plan = ApplicationYearFactory(
        application=application,
        year=year,
        own_funds=own,
        eligible_costs=eligible,
        requested_grant=grant,
    )
    CostLineFactory(application_year=plan, amount=eligible, monthly_cost=eligible / 12)
    return plan
