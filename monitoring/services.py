"""Writes of monitoring data: single values, approval of years. Every write checks that its
year is open; the import (monitoring.imports) uses the same checks."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import (
    DataApproval,
    DataApprovalAction,
    DataApprovalEvent,
    Indicator,
    Observation,
    ObservationStatus,
)
from monitoring.quality import check_observations, format_count
from municipalities.models import Municipality, Sozialraum


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


class StaleEditError(MonitoringError):
    """Someone else changed the value since the form was opened."""


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value)


@transaction.atomic
def record_observation(
    *,
    actor,
    indicator: Indicator,
    sozialraum: Sozialraum,
    period: int,
    numerator: Decimal | None,
    denominator: Decimal | None,
    status: str = ObservationStatus.REPORTED,
    expected_updated_at: datetime.datetime | None = None,
) -> Observation:
    """Create or change one value. `expected_updated_at` is the version the form showed: if the
    stored value changed since, the edit is refused (optimistic locking); the row itself is
    locked while it changes."""
    municipality = sozialraum.municipality
    if indicator.municipality_id not in (None, municipality.pk):
        raise MonitoringError(_("Dieser lokale Indikator gehört zu einer anderen Kommune."))
    if not 1900 <= period <= 2100:
        raise MonitoringError(_("%(period)s ist kein plausibles Jahr.") % {"period": period})
    assert_periods_open(municipality, [period])
    numerator, denominator = _number(numerator), _number(denominator)
    if status == ObservationStatus.REPORTED:
        if numerator is None or denominator is None:
            raise MonitoringError(
                _(
                    "Für einen gemeldeten Wert braucht es Zähler und Nenner. Fehlt der Wert oder "
                    "hält die Quelle ihn geheim, wählen Sie den passenden Status."
                )
            )
        if numerator < 0 or denominator < 0:
            raise MonitoringError(_("Zähler und Nenner dürfen nicht negativ sein."))
        if denominator == 0 and numerator > 0:
            raise MonitoringError(
                _("Der Nenner ist 0, der Zähler nicht: so lässt sich kein Wert berechnen.")
            )
        if indicator.numerator_within_denominator and numerator > denominator:
            raise MonitoringError(
                _(
                    "Der Zähler (%(n)s) ist größer als der Nenner (%(d)s). Bei „%(indicator)s“ "
                    "ist der Zähler eine Teilmenge des Nenners; bitte beide Zahlen prüfen."
                )
                % {
                    "n": format_count(numerator),
                    "d": format_count(denominator),
                    "indicator": indicator.name,
                }
            )
    else:
        numerator = denominator = None
    observation = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, sozialraum=sozialraum, period=period)
        .first()
    )
    if observation is None:
        if expected_updated_at is not None:
            raise StaleEditError(
                _("Der Wert wurde inzwischen gelöscht. Bitte laden Sie die Seite neu.")
            )
        try:
            with transaction.atomic():
                observation = Observation.objects.create(
                    indicator=indicator,
                    sozialraum=sozialraum,
                    period=period,
                    numerator=numerator,
                    denominator=denominator,
                    status=status,
                    updated_by=actor,
                )
        except IntegrityError:
            raise StaleEditError(
                _(
                    "Gleichzeitig hat jemand anderes diesen Wert angelegt. Bitte laden Sie die "
                    "Seite neu und prüfen Sie den gespeicherten Wert."
                )
            ) from None
    else:
        if expected_updated_at is None or observation.updated_at != expected_updated_at:
            who = observation.updated_by.get_full_name() if observation.updated_by else ""
            raise StaleEditError(
                _(
                    "Dieser Wert wurde am %(when)s%(who)s geändert, nachdem Sie das Formular "
                    "geöffnet haben. Ihre Eingabe wurde nicht gespeichert; bitte prüfen Sie den "
                    "aktuellen Wert und geben Sie Ihre Änderung erneut ein."
                )
                % {
                    "when": timezone.localtime(observation.updated_at).strftime("%d.%m.%Y %H:%M"),
                    "who": (_(" von %(name)s") % {"name": who}) if who else "",
                }
            )
        observation.numerator = numerator
        observation.denominator = denominator
        observation.status = status
        observation.updated_by = actor
        observation.import_batch = None
        observation.save()
    refresh_disclosure(municipality_id=municipality.pk)
    # Flag the new value and the peers whose comparison it changes.
    check_observations(municipality=municipality, periods=[period])
    return observation


@transaction.atomic
def create_local_indicator(*, actor, municipality, **fields) -> Indicator:
    code = fields["code"].strip()
    if Indicator.objects.filter(municipality=municipality, code=code).exists():
        raise MonitoringError(
            _("Ihre Kommune hat schon einen Indikator mit der Kennung %(code)s.") % {"code": code}
        )
    fields["code"] = code
    return Indicator.objects.create(municipality=municipality, **fields)


@transaction.atomic
def update_local_indicator(*, actor, indicator: Indicator, **fields) -> Indicator:
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    code = fields["code"].strip()
    clash = Indicator.objects.filter(municipality_id=indicator.municipality_id, code=code).exclude(
        pk=indicator.pk
    )
    if clash.exists():
        raise MonitoringError(
            _("Ihre Kommune hat schon einen Indikator mit der Kennung %(code)s.") % {"code": code}
        )
    fields["code"] = code
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    refresh_disclosure(municipality_id=indicator.municipality_id)  # k may have changed
    return indicator


def _event(municipality, period, action, actor, reason=""):
    DataApprovalEvent.objects.create(
        municipality=municipality, period=period, action=action, actor=actor, reason=reason
    )


@transaction.atomic
def approve_year(*, actor, municipality, period: int) -> DataApproval:
    """The year's data are final: locked for every write until the approval is lifted."""
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    if DataApproval.objects.filter(municipality=municipality, period=period).exists():
        raise MonitoringError(_("Das Jahr %(year)d ist schon freigegeben.") % {"year": period})
    approval = DataApproval.objects.create(
        municipality=municipality, period=period, approved_at=timezone.now(), approved_by=actor
    )
    _event(municipality, period, DataApprovalAction.APPROVED, actor)
    return approval


def _approval(municipality, period) -> DataApproval:
    approval = (
        DataApproval.objects.select_for_update()
        .filter(municipality=municipality, period=period)
        .first()
    )
    if approval is None:
        raise MonitoringError(_("Das Jahr %(year)d ist nicht freigegeben.") % {"year": period})
    return approval


@transaction.atomic
def set_released_to_state_office(
    *, actor, municipality, period: int, released: bool
) -> DataApproval:
    """Release an approved year to the state office (it then sees the municipality-level
    values), or take the release back."""
    approval = _approval(municipality, period)
    if approval.released_to_state_office == released:
        return approval
    approval.released_to_state_office = released
    approval.save(update_fields=["released_to_state_office"])
    _event(
        municipality,
        period,
        DataApprovalAction.RELEASED if released else DataApprovalAction.RELEASE_WITHDRAWN,
        actor,
    )
    return approval


@transaction.atomic
def reopen_year(*, actor, municipality, period: int, reason: str) -> None:
    """Lift the approval (and with it any release) so the year's data can be corrected. The
    reason is recorded; the history of the year keeps it."""
    reason = reason.strip()
    if len(reason) < 10:
        raise MonitoringError(
            _("Bitte begründen Sie in einem Satz, warum die Freigabe aufgehoben wird.")
        )
    approval = _approval(municipality, period)
    approval.delete()
    _event(municipality, period, DataApprovalAction.REOPENED, actor, reason)
