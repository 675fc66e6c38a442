"""Writes of monitoring data: single values, approval of years. Every write checks that its
year is open; the import (monitoring.imports) uses the same checks."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from monitoring.models import DataApproval


class MonitoringError(ValidationError):
    """A monitoring write was refused; the message says why in plain German."""


class PeriodLockedError(MonitoringError):
    """The data of an approved year cannot change until the approval is withdrawn."""


def locked_periods(municipality_id: int) -> set[int]:
    """The years whose data the municipality has approved (and so locked)."""
    return set(
        DataApproval.objects.filter(municipality_id=municipality_id).values_list(
            "period", flat=True
        )
    )


def assert_periods_open(municipality, periods: Iterable[int]) -> None:
    """Refuse a write that touches an approved year; the message names the years."""
    closed = sorted(set(periods) & locked_periods(municipality.pk))
    if closed:
        years = ", ".join(str(year) for year in closed)
        raise PeriodLockedError(
            ngettext(
                "Das Jahr %(years)s ist freigegeben und damit gesperrt. Heben Sie die Freigabe "
                "auf, um Werte dieses Jahres zu ändern.",
                "Die Jahre %(years)s sind freigegeben und damit gesperrt. Heben Sie die Freigaben "
                "auf, um Werte dieser Jahre zu ändern.",
                len(closed),
            )
            % {"years": years},
            code="period_locked",
        )
