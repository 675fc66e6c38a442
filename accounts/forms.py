from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür ist das Token? Zum Beispiel „Statistik des Ministeriums“."),
    )
    read_only = forms.BooleanField(
        label=_("nur lesen"),
        required=False,
        initial=True,
        help_text=_("Ein Lese-Token kann nichts ändern. Lassen Sie das an, wo es reicht."),
    )
    expires_on = forms.DateField(
        label=_("gültig bis einschließlich"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. Ohne Datum gilt das Token, bis Sie es widerrufen."),
    )

    def clean_expires_on(self) -> date | None:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(
                _("Das Datum liegt in der Vergangenheit. Bitte wählen Sie heute oder später.")
            )
        return expires_on

    @property
    def expires_at(self) -> datetime | None:
        # "valid until and including" a day means: it stops at the next local midnight.
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time.min))
