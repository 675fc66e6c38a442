"""Forms of the analysis pages: comments and need indices."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Comment


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["sozialraum", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"sozialraum": _("Sozialraum"), "text": _("Ihr Kommentar")}
        error_messages = {
            "text": {"required": _("Schreiben Sie einen Kommentar.")},
            "sozialraum": {"required": _("Wählen Sie den Sozialraum, um den es geht.")},
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sozialraum"].queryset = areas
        self.fields["sozialraum"].empty_label = None


class NeedIndexForm(forms.Form):
    """Name, year and a weight per selectable indicator (0 or empty = not part of the index)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        error_messages={"required": _("Geben Sie dem Bedarfsindex einen Namen.")},
    )
    period = forms.TypedChoiceField(
        label=_("Jahr"),
        coerce=int,
        error_messages={"required": _("Wählen Sie das Jahr der Daten.")},
    )

    def __init__(self, *args, indicators, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["period"].choices = [(p, str(p)) for p in periods]
        for indicator in indicators:
            self.fields[self.weight_field(indicator)] = forms.DecimalField(
                label=indicator.name,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                help_text=indicator.get_direction_display(),
                error_messages={
                    "invalid": _("Geben Sie ein Gewicht als Zahl ein, z. B. 1 oder 0,5."),
                    "min_value": _("Das Gewicht darf nicht negativ sein."),
                    "max_value": _("Das Gewicht darf höchstens 100 sein."),
                },
            )

    @staticmethod
    def weight_field(indicator) -> str:
        return f"weight_{indicator.pk}"

    def weight_fields(self):
        return [self[self.weight_field(i)] for i in self.indicators]

    def weights(self) -> dict:
        return {i: self.cleaned_data.get(self.weight_field(i)) or 0 for i in self.indicators}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(w > 0 for w in self.weights().values()):
            raise forms.ValidationError(
                _("Geben Sie mindestens einem Indikator ein Gewicht über 0.")
            )
        return cleaned
