from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import MunicipalityKind, Regierungsbezirk
from municipalities.selectors import DirectoryFilter

# The figures rest on population data from 2015 on; earlier or far later dates would only
# produce empty or misleading figures.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class ReferenceDateForm(forms.Form):
    datum = forms.DateField(
        label=_("Stichtag"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _(
                "Bitte geben Sie den Stichtag als gültiges Datum an, zum Beispiel 31.12.2020."
            )
        },
    )

    def clean_datum(self):
        value = self.cleaned_data["datum"]
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                _("Bitte wählen Sie einen Stichtag zwischen dem %(first)s und dem %(last)s."),
                params={
                    "first": EARLIEST_DATE.strftime("%d.%m.%Y"),
                    "last": LATEST_DATE.strftime("%d.%m.%Y"),
                },
            )
        return value


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name oder AGS"), required=False, max_length=100, strip=True)
    art = forms.ChoiceField(label=_("Art"), required=False)
    bezirk = forms.ChoiceField(label=_("Regierungsbezirk"), required=False)
    jahrgang = forms.TypedChoiceField(
        label=_("Jahrgang"), required=False, coerce=int, empty_value=None
    )
    teilnehmend = forms.BooleanField(label=_("nur Teilnehmende"), required=False)

    def __init__(self, *args, cohorts: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["art"].choices = [("", _("alle Arten")), *MunicipalityKind.choices]
        self.fields["bezirk"].choices = [("", _("alle Bezirke")), *Regierungsbezirk.choices]
        self.fields["jahrgang"].choices = [("", _("alle Jahrgänge"))] + [
            (str(c), str(c)) for c in cohorts
        ]

    def directory_filter(self) -> DirectoryFilter:
        """The valid filters; a field with a bad value is left out (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilter(
            query=data.get("q") or "",
            kind=data.get("art") or "",
            regierungsbezirk=data.get("bezirk") or "",
            cohort=data.get("jahrgang"),
            participants_only=bool(data.get("teilnehmend")),
        )
