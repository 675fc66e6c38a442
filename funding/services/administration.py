"""Programme administration (issue 3 §1, §2): funding rules, calls and budgets.

Only the programme administration (state_admin) writes here. Two rules protect what was promised:
- a Bescheid copied the terms of its rule, so changing a rule never changes a decision;
- a budget change may never leave a year's secured budget below what current decisions already
  commit for that year – the 2017 failure (promises beyond secured money) must stay impossible.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from funding.coverage import lock_budgets, year_coverage
from funding.models import (
    SECURED_BUDGET_STATUSES,
    ApplicationYear,
    Budget,
    Call,
    FinancingType,
    FundingRule,
)
from funding.money import ZERO, format_euro
from funding.permissions import is_funding_admin
from funding.services.audit import attributed
from funding.services.errors import FundingError
from municipalities.models import Programme

RULE_FIELDS = (
    "valid_from_year",
    "financing_type",
    "rate",
    "yearly_cap",
    "fixed_amount",
    "eligible_categories",
    "min_own_share_rate",
    "payment_window_months",
    "proof_deadline_months",
    "forwarding_allowed",
    "purpose",
    "conditions",
)
CALL_FIELDS = ("title", "description", "first_year", "last_year", "opens_on", "closes_on")
BUDGET_FIELDS = ("status", "amount", "reference")


def _require_admin(actor) -> None:
    if not is_funding_admin(actor):
        raise FundingError(
            _("Regeln, Aufrufe und Haushaltsmittel pflegt nur die Programmverwaltung.")
        )


# --- Förderregeln ---------------------------------------------------------------------------


def _check_rule(rule: FundingRule) -> None:
    errors = {}
    if rule.financing_type == FinancingType.ANTEIL and rule.rate is None:
        errors["rate"] = _("Für eine Anteilfinanzierung geben Sie bitte den Fördersatz an.")
    if rule.financing_type == FinancingType.FESTBETRAG and rule.fixed_amount is None:
        errors["fixed_amount"] = _(
            "Für eine Festbetragsfinanzierung geben Sie bitte den Festbetrag je Jahr an."
        )
    if not rule.eligible_categories:
        errors["eligible_categories"] = _(
            "Bitte wählen Sie mindestens eine zuwendungsfähige Ausgabeart."
        )
    duplicate = FundingRule.objects.filter(
        programme_id=rule.programme_id, valid_from_year=rule.valid_from_year
    ).exclude(pk=rule.pk)
    if duplicate.exists():
        errors["valid_from_year"] = _(
            "Für %(year)s gibt es schon eine Regel dieses Programms. Bitte bearbeiten Sie diese "
            "oder wählen Sie ein anderes Jahr."
        ) % {"year": rule.valid_from_year}
    if errors:
        raise FundingError(errors)


@transaction.atomic
def create_rule(*, programme: Programme, actor, reason: str = "", **values) -> FundingRule:
    _require_admin(actor)
    rule = FundingRule(programme=programme, **{k: values[k] for k in RULE_FIELDS if k in values})
    _check_rule(rule)
    with attributed(actor=actor, action="rule_created", reason=reason):
        rule.save()
    return rule


@transaction.atomic
def update_rule(*, rule: FundingRule, actor, reason: str = "", **values) -> FundingRule:
    """Change a rule. Decisions keep the terms they copied when they were made; only
    applications and decisions from now on use the new ones."""
    _require_admin(actor)
    rule = FundingRule.objects.select_for_update().get(pk=rule.pk)
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    _check_rule(rule)
    with attributed(actor=actor, action="rule_changed", reason=reason):
        rule.save()
    return rule


# --- Förderaufrufe --------------------------------------------------------------------------


def _check_call(call: Call) -> None:
    errors = {}
    if call.first_year and call.last_year and call.last_year < call.first_year:
        errors["last_year"] = _(
            "Das letzte Förderjahr liegt vor dem ersten. Bitte prüfen Sie die Jahre."
        )
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        errors["closes_on"] = _(
            "Die Antragsfrist endet vor ihrem Beginn. Bitte prüfen Sie die Daten."
        )
    if errors:
        raise FundingError(errors)


@transaction.atomic
def create_call(*, programme: Programme, actor, reason: str = "", **values) -> Call:
    _require_admin(actor)
    call = Call(programme=programme, **{k: values[k] for k in CALL_FIELDS if k in values})
    _check_call(call)
    with attributed(actor=actor, action="call_created", reason=reason):
        call.save()
    return call


@transaction.atomic
def update_call(*, call: Call, actor, reason: str = "", **values) -> Call:
    """Change a call. Once applications exist, its years are what they applied for and stay."""
    _require_admin(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    years_before = (call.first_year, call.last_year)
    for name in CALL_FIELDS:
        if name in values:
            setattr(call, name, values[name])
    _check_call(call)
    if (call.first_year, call.last_year) != years_before and call.applications.exists():
        raise FundingError(
            {
                "first_year": _(
                    "Zu diesem Aufruf gibt es schon Anträge; seine Förderjahre "
                    "(%(first)s–%(last)s) lassen sich nicht mehr ändern."
                )
                % {"first": years_before[0], "last": years_before[1]}
            }
        )
    with attributed(actor=actor, action="call_changed", reason=reason):
        call.save()
    return call


@transaction.atomic
def delete_call(*, call: Call, actor, reason: str = "") -> None:
    _require_admin(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.applications.exists():
        raise FundingError(_("Zu diesem Aufruf gibt es Anträge; er kann nicht gelöscht werden."))
    with attributed(actor=actor, action="call_deleted", reason=reason):
        call.delete()


def calls_open_on(day: date):
    """Calls whose application window includes the day."""
    return Call.objects.filter(opens_on__lte=day, closes_on__gte=day).select_related("programme")


# --- Haushaltsmittel ------------------------------------------------------------------------


def _secured_part(budget: Budget) -> Decimal:
    return budget.amount if budget.status in SECURED_BUDGET_STATUSES else ZERO


def _keep_commitments_covered(*, before: Budget, after_secured: Decimal) -> None:
    """Refuse a change that would leave the year's secured budget below its commitments.

    Runs under the budget row locks of the year, the same locks an approval takes, so no
    decision can slip in between this check and the change."""
    lock_budgets(before.programme_id, [before.fiscal_year])
    coverage = year_coverage(before.programme_id, [before.fiscal_year])[before.fiscal_year]
    secured_after = coverage.secured - _secured_part(before) + after_secured
    if secured_after < coverage.committed and secured_after < coverage.secured:
        raise FundingError(
            _(
                "Für %(year)s sind schon %(committed)s bewilligt. Nach dieser Änderung wären nur "
                "%(secured)s gesichert – es fehlten %(shortfall)s. Die Änderung ist nicht "
                "gespeichert."
            )
            % {
                "year": before.fiscal_year,
                "committed": format_euro(coverage.committed),
                "secured": format_euro(secured_after),
                "shortfall": format_euro(coverage.committed - secured_after),
            }
        )


@transaction.atomic
def create_budget(
    *,
    programme: Programme,
    fiscal_year: int,
    source: str,
    status: str,
    amount: Decimal,
    actor,
    reference: str = "",
    reason: str = "",
) -> Budget:
    _require_admin(actor)
    if Budget.objects.filter(programme=programme, fiscal_year=fiscal_year, source=source).exists():
        raise FundingError(
            {
                "source": _(
                    "Für %(year)s gibt es aus dieser Mittelherkunft schon Haushaltsmittel. "
                    "Bitte ändern Sie diese."
                )
                % {"year": fiscal_year}
            }
        )
    with attributed(actor=actor, action="budget_created", reason=reason):
        return Budget.objects.create(
            programme=programme,
            fiscal_year=fiscal_year,
            source=source,
            status=status,
            amount=amount,
            reference=reference,
        )


@transaction.atomic
def update_budget(*, budget: Budget, actor, reason: str = "", **values) -> Budget:
    """Change status, amount or reference. Programme, year and source identify the money;
    money of another year or source is another budget."""
    _require_admin(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    changed = Budget(
        programme_id=budget.programme_id,
        fiscal_year=budget.fiscal_year,
        source=budget.source,
        **{name: values.get(name, getattr(budget, name)) for name in BUDGET_FIELDS},
    )
    _keep_commitments_covered(before=budget, after_secured=_secured_part(changed))
    for name in BUDGET_FIELDS:
        setattr(budget, name, getattr(changed, name))
    with attributed(actor=actor, action="budget_changed", reason=reason):
        budget.save()
    return budget


def budget_in_use(budget: Budget) -> bool:
    """Applications or decisions count on the budget's year (their plans or promises)."""
    return ApplicationYear.objects.filter(
        application__call__programme_id=budget.programme_id, year=budget.fiscal_year
    ).exists()


@transaction.atomic
def delete_budget(*, budget: Budget, actor, reason: str = "") -> None:
    """Delete a budget nobody counts on yet (mistyped entries); money that applications plan
    with is changed, not deleted, so its history stays in one place."""
    _require_admin(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget_in_use(budget):
        raise FundingError(
            _(
                "Für %(year)s gibt es schon Anträge dieses Programms; die Haushaltsmittel "
                "können nicht gelöscht werden. Ändern Sie stattdessen Status oder Betrag."
            )
            % {"year": budget.fiscal_year}
        )
    with attributed(actor=actor, action="budget_deleted", reason=reason):
        budget.delete()
