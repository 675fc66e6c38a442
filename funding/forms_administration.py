"""Forms of the programme administration. They parse and check input; the services in
funding.services.administration decide and write."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from funding.exports import EXPORTS
from funding.forms_fields import EuroField
from funding.models import Budget, BudgetSource, BudgetStatus, Call, CostCategory, FundingRule
from funding.services.administration import CALL_FIELDS, RULE_FIELDS

REASON_HELP = _("Erscheint im Verlauf der Änderungen (optional).")


def _reason_field():
    return forms.CharField(
        label=_("Grund der Änderung"), required=False, max_length=300, help_text=REASON_HELP
    )


class ModelFieldsForm(forms.Form):
    """A form with the model's fields (labels, help texts, choices). It checks each field on
    its own; checks across fields, uniqueness and the model's constraints are the service's,
    whose messages say what to fix (a ModelForm would answer „Constraint … is violated“)."""

    model = None
    model_fields: tuple[str, ...] = ()
    widgets: dict = {}
    # German input of rates (0,5) in a text field rather than a number field.
    localized_fields: tuple[str, ...] = ()
    # Amounts in euros, typed as 30.000,00.
    money_fields: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, fixed: tuple[str, ...] = (), **kwargs):
        """`fixed`: fields that identify the object and are not changed on editing."""
        if instance is not None:
            kwargs["initial"] = model_to_dict(instance, fields=self.model_fields)
        super().__init__(*args, **kwargs)
        generated = fields_for_model(
            self.model,
            fields=[name for name in self.model_fields if name not in fixed],
            widgets=self.widgets,
            localized_fields=self.localized_fields,
            field_classes=dict.fromkeys(self.money_fields, EuroField),
        )
        declared = self.fields
        self.fields = {name: declared.get(name, field) for name, field in generated.items()}
        self.fields.update({name: f for name, f in declared.items() if name not in generated})


class RuleForm(ModelFieldsForm):
    model = FundingRule
    model_fields = ("programme", *RULE_FIELDS)
    widgets = {
        "purpose": forms.Textarea(attrs={"rows": 3}),
        "conditions": forms.Textarea(attrs={"rows": 5}),
    }
    localized_fields = ("rate", "min_own_share_rate")
    money_fields = ("yearly_cap", "fixed_amount")
    eligible_categories = forms.MultipleChoiceField(
        label=_("zuwendungsfähige Ausgabearten"),
        choices=CostCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Ausgabeart.")},
    )
    reason = _reason_field()


class CallForm(ModelFieldsForm):
    model = Call
    model_fields = ("programme", *CALL_FIELDS)
    widgets = {
        "description": forms.Textarea(attrs={"rows": 4}),
        "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    }
    reason = _reason_field()


class BudgetForm(ModelFieldsForm):
    model = Budget
    model_fields = ("programme", "fiscal_year", "source", "status", "amount", "reference")
    money_fields = ("amount",)
    reason = _reason_field()


class BudgetFilterForm(forms.Form):
    jahr = forms.IntegerField(label=_("Haushaltsjahr"), required=False, min_value=2000)
    herkunft = forms.ChoiceField(
        label=_("Mittelherkunft"),
        required=False,
        choices=[("", _("alle")), *BudgetSource.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *BudgetStatus.choices]
    )

    def filter(self, budgets):
        if not self.is_valid():
            return budgets
        data = self.cleaned_data
        if data["jahr"]:
            budgets = budgets.filter(fiscal_year=data["jahr"])
        if data["herkunft"]:
            budgets = budgets.filter(source=data["herkunft"])
        if data["status"]:
            budgets = budgets.filter(status=data["status"])
        return budgets


class ExportForm(forms.Form):
    inhalt = forms.ChoiceField(
        label=_("Inhalt"),
        choices=[(slug, export.title) for slug, export in EXPORTS.items()],
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("xlsx", _("Excel-Arbeitsmappe (XLSX)")),
            ("csv", _("CSV für Excel (Semikolon, Dezimalkomma)")),
        ],
        widget=forms.RadioSelect,
    )
