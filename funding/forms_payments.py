"""Forms of the payments pages. They parse input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.forms_fields import EuroField
from funding.models import PaymentStatus
from municipalities.models import Regierungsbezirk

DATE_INPUT = {"input_formats": ["%Y-%m-%d", "%d.%m.%Y"]}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _YearChoiceForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Förderjahr"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class PaymentRequestForm(_YearChoiceForm):
    amount = EuroField(
        label=_("Betrag in Euro"), min_value=Decimal("0.01"), help_text=_("z. B. 7.489,50")
    )
    needed_on = forms.DateField(
        label=_("Mittel benötigt ab"),
        help_text=_("Abrufen dürfen Sie nur, was innerhalb des Abrufzeitraums fällig wird."),
        widget=DATE_WIDGET,
        **DATE_INPUT,
    )
    purpose = forms.CharField(
        label=_("Verwendung"),
        max_length=300,
        help_text=_("z. B. Personalausgaben der Koordinationsstelle Januar und Februar"),
    )


class ForwardingForm(_YearChoiceForm):
    recipient_name = forms.CharField(label=_("Empfänger"), max_length=200)
    recipient_address = forms.CharField(
        label=_("Anschrift"), widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_form = forms.CharField(
        label=_("Rechtsform"), max_length=100, required=False, help_text=_("z. B. e. V.")
    )
    amount = EuroField(label=_("Betrag in Euro"), min_value=Decimal("0.01"))
    contract_date = forms.DateField(
        label=_("Weiterleitungsvertrag vom"), widget=DATE_WIDGET, **DATE_INPUT
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Kommune erhält die Begründung per E-Mail."),
    )


class QueueFilterForm(forms.Form):
    MINE = "mine"
    ALL = "all"
    show = forms.ChoiceField(
        label=_("Anzeigen"),
        required=False,
        choices=[(MINE, _("was auf mich wartet")), (ALL, _("alle Mittelabrufe"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *PaymentStatus.choices]
    )
    year = forms.IntegerField(label=_("Förderjahr"), required=False, min_value=2000, max_value=2100)
    regierungsbezirk = forms.ChoiceField(
        label=_("Regierungsbezirk"),
        required=False,
        choices=[("", _("alle")), *Regierungsbezirk.choices],
    )
