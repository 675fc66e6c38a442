"""Filters of the chain pages (GET forms). Choices come from lists the view has loaded
already, so a form adds no query of its own."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ChainFilterForm(forms.Form):
    """The matrix filtered by Sozialraum and target group; empty values mean „all“."""

    sozialraum = forms.ChoiceField(label=_("Sozialraum"), required=False)
    zielgruppe = forms.ChoiceField(label=_("Zielgruppe"), required=False)

    def __init__(self, data=None, *, areas, target_groups):
        super().__init__(data)
        self.areas = {str(a.pk): a for a in areas}
        self.target_groups = {t.slug: t for t in target_groups}
        self.fields["sozialraum"].choices = [("", _("ganze Kommune"))] + [
            (str(a.pk), f"{a.code} {a.name}" if a.parent_id is None else f"– {a.code} {a.name}")
            for a in areas
        ]
        self.fields["zielgruppe"].choices = [("", _("alle Zielgruppen"))] + [
            (t.slug, t.name) for t in target_groups
        ]

    def chosen(self):
        """(Sozialraum or None, target group or None); an invalid choice shows everything."""
        if not self.is_valid():
            return None, None
        return (
            self.areas.get(self.cleaned_data["sozialraum"]),
            self.target_groups.get(self.cleaned_data["zielgruppe"]),
        )


class NeedIndexChoiceForm(forms.Form):
    index = forms.ChoiceField(label=_("Bedarfsindex"), required=False)

    def __init__(self, data=None, *, indices):
        super().__init__(data)
        self.indices = {str(i.pk): i for i in indices}
        self.fields["index"].choices = [(str(i.pk), f"{i.name} ({i.period})") for i in indices]

    def chosen(self):
        """The chosen need index, the newest by default (None if there is none)."""
        if self.is_valid() and self.cleaned_data["index"]:
            return self.indices[self.cleaned_data["index"]]
        return next(iter(self.indices.values()), None)
