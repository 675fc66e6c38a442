"""Weiterleitung (issue 3 §8): a municipality passes (part of) its grant on to a third party,
e.g. the welfare association that employs the coordinator – only where the decision allows it,
and never more in a year than the year's grant."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.models import Application, Forwarding
from funding.money import ZERO, format_euro
from funding.permissions import can_apply
from funding.services.audit import attributed
from funding.services.errors import FundingError
from funding.services.payments import (
    current_decision,
    lock_application,
    positive_amount,
    year_grant,
)


def forwarded(application, year: int) -> Decimal:
    return (
        Forwarding.objects.filter(application=application, year=year).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )


@transaction.atomic
def record_forwarding(
    *,
    application: Application,
    year: int,
    recipient_name: str,
    recipient_address: str,
    legal_form: str,
    amount: Decimal,
    contract_date: date,
    actor,
) -> Forwarding:
    """A coordinator records a Weiterleitungsvertrag."""
    if not can_apply(actor, application.municipality_id):
        raise PermissionDenied
    amount = positive_amount(amount)
    if not recipient_name.strip() or not recipient_address.strip():
        raise FundingError(_("Bitte geben Sie Name und Anschrift des Empfängers an."))
    if contract_date > timezone.localdate():
        raise FundingError(
            _("Der Weiterleitungsvertrag muss geschlossen sein; sein Datum liegt in der Zukunft."),
            code="contract_date",
        )
    application = lock_application(application)
    decision = current_decision(application)
    if decision is None or not decision.forwarding_allowed:
        raise FundingError(
            _("Der geltende Bescheid erlaubt keine Weiterleitung der Zuwendung an Dritte."),
            code="forwarding_not_allowed",
        )
    granted = year_grant(decision, year)
    remaining = granted - forwarded(application, year)
    if amount > remaining:
        raise FundingError(
            _(
                "Für %(year)s sind %(granted)s bewilligt; weitergeleitet werden können noch "
                "%(remaining)s."
            )
            % {
                "year": year,
                "granted": format_euro(granted),
                "remaining": format_euro(max(remaining, ZERO)),
            },
            code="overdraw",
        )
    with attributed(actor=actor, action="forwarding_recorded"):
        return Forwarding.objects.create(
            application=application,
            year=year,
            recipient_name=recipient_name.strip(),
            recipient_address=recipient_address.strip(),
            legal_form=legal_form.strip(),
            amount=amount,
            contract_date=contract_date,
            created_by=actor,
        )


@transaction.atomic
def delete_forwarding(*, forwarding: Forwarding, actor) -> None:
    """Remove a forwarding recorded in error; the audit history keeps what it said."""
    if not can_apply(actor, forwarding.application.municipality_id):
        raise PermissionDenied
    lock_application(forwarding.application)
    with attributed(actor=actor, action="forwarding_deleted"):
        Forwarding.objects.filter(pk=forwarding.pk).delete()
