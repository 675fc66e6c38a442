"""Forms of the coordinator's application pages. They parse input; funding.services.applications
decides. Each editing form carries the version it was opened with (optimistic locking)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from funding.forms_fields import EuroField
from funding.models import (
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    CostCategory,
    CostLine,
)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CreateForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None, empty_label=None)
    call = forms.ModelChoiceField(label=_("Förderaufruf"), queryset=None, empty_label=None)

    def __init__(self, *args, municipalities, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["call"].queryset = calls
        if len(municipalities) == 1:
            self.fields["municipality"].widget = forms.HiddenInput()


class ApplicationForm(VersionedForm):
    purpose = forms.CharField(
        label=Application._meta.get_field("purpose").verbose_name,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "Was soll mit der Förderung erreicht werden? Zum Beispiel: Aufbau und Steuerung der "
            "kommunalen Präventionskette durch eine Koordinationsstelle."
        ),
    )
    contact_name = forms.CharField(label=_("Ansprechperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-Mail der Ansprechperson"), required=False)
    forwarding_requested = forms.BooleanField(
        label=_("Die Zuwendung soll ganz oder teilweise an einen Dritten weitergeleitet werden"),
        required=False,
        help_text=_("Zum Beispiel an einen Wohlfahrtsverband, der die Koordination anstellt."),
    )
    forwarding_recipient = forms.CharField(
        label=_("Empfänger der Weiterleitung"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("forwarding_requested") and not data.get("forwarding_recipient", "").strip():
            self.add_error(
                "forwarding_recipient", _("Bitte nennen Sie den Empfänger der Weiterleitung.")
            )
        return data


class YearPlanForm(VersionedForm):
    own_funds = EuroField(label=_("Eigenmittel (€)"))
    third_party_funds = EuroField(label=_("Drittmittel (€)"), initial=0)
    third_party_note = forms.CharField(
        label=_("Drittmittel von"),
        max_length=200,
        required=False,
        help_text=_("Wer gibt die Drittmittel, z. B. ein Träger oder eine Stiftung?"),
    )


class CostLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Ausgabeart"), choices=CostCategory.choices)
    description = forms.CharField(label=_("Bezeichnung"), max_length=200)
    pay_grade = forms.CharField(label=_("Entgeltgruppe"), max_length=20, required=False)
    fte = forms.DecimalField(
        label=CostLine._meta.get_field("fte").verbose_name,
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=10,
        required=False,
        localize=True,
    )
    months = forms.IntegerField(label=_("Monate"), min_value=1, max_value=12, required=False)
    monthly_cost = EuroField(label=_("Arbeitgeberkosten je Monat (€)"), required=False)
    amount = EuroField(
        label=_("Betrag (€)"),
        required=False,
        help_text=_("Bei Personalausgaben mit Monatskosten, Stellenanteil und Monaten berechnet."),
    )

    def clean(self):
        data = super().clean()
        personnel = [data.get(key) for key in ("monthly_cost", "fte", "months")]
        priced = data.get("category") == CostCategory.PERSONNEL and all(
            value is not None for value in personnel
        )
        if not priced and data.get("amount") is None:
            self.add_error(
                "amount",
                _(
                    "Bitte einen Betrag angeben – oder bei Personalausgaben Monatskosten, "
                    "Stellenanteil und Monate."
                ),
            )
        return data


class BaseCostLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


CostLineFormSet = forms.formset_factory(
    CostLineForm, formset=BaseCostLineFormSet, extra=0, can_delete=True, max_num=50
)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art der Anlage"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=Attachment._meta.get_field("file").verbose_name,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, PNG oder JPEG, höchstens %(limit)s MB.") % {
            "limit": settings.FUNDING_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        }


class ConfirmForm(forms.Form):
    confirmed = forms.BooleanField(label=_("Ja, ich bin sicher."), required=True)


class SubmitForm(VersionedForm):
    confirmed = forms.BooleanField(
        label=_(
            "Ich bestätige, dass die Angaben vollständig und richtig sind und der Antrag im "
            "Namen der Kommune gestellt wird."
        ),
        required=True,
    )


class WithdrawForm(ConfirmForm):
    reason = forms.CharField(
        label=_("Grund der Rücknahme"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Der Grund wird im Verlauf des Antrags gespeichert."),
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("alle")), *ApplicationStatus.choices], required=False
    )
    jahr = forms.IntegerField(label=_("Förderjahr"), min_value=2000, max_value=2100, required=False)
    aufruf = forms.ModelChoiceField(
        label=_("Förderaufruf"), queryset=None, required=False, empty_label=_("alle")
    )
    q = forms.CharField(
        label=_("Suche"),
        required=False,
        max_length=100,
        help_text=_("Antragsnummer oder Name der Kommune"),
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aufruf"].queryset = calls
