"""Forms of the proof-of-use pages. They only parse; the rules live in funding.services.proofs."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.forms_fields import EuroField


class ProofForm(forms.Form):
    """Sachbericht and actual figures; one „Ist“ field per cost line (`line_<id>`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=_("Sachbericht"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Was wurde mit der Zuwendung erreicht? Wie wurden die Mittel verwendet, was wich vom "
            "Plan ab und warum? Sie können speichern und später weiterschreiben."
        ),
    )
    actual_own_funds = EuroField(label=_("Eigenmittel (Ist) in €"))
    actual_third_party_funds = EuroField(label=_("Drittmittel (Ist) in €"))

    def __init__(self, *args, proof, lines, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": proof.version,
                "narrative": proof.narrative,
                "actual_own_funds": proof.actual_own_funds,
                "actual_third_party_funds": proof.actual_third_party_funds,
            },
        )
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[self.line_field(line)] = EuroField(
                label=_("Ist: %(line)s in €") % {"line": line.description}, initial=line.actual
            )

    @staticmethod
    def line_field(line) -> str:
        return f"line_{line.pk}"

    def lines_data(self, lines) -> list[dict]:
        return [
            {"id": line.pk, "actual": self.cleaned_data[self.line_field(line)]} for line in lines
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(
        label=_("Ich bestätige, dass die Angaben richtig und vollständig sind"), required=True
    )


class CheckForm(forms.Form):
    check_note = forms.CharField(
        label=_("Prüfvermerk"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Ergebnis der Prüfung des Sachberichts und des zahlenmäßigen Nachweises, "
            "Feststellungen und nicht anerkannte Ausgaben mit Begründung."
        ),
    )
    recognised_eligible = EuroField(
        label=_("Anerkannte zuwendungsfähige Ausgaben in €"),
        required=False,
        help_text=_("Leer lassen, um die nachgewiesenen zuwendungsfähigen Ausgaben anzuerkennen."),
    )
    interest_until = forms.DateField(
        label=_("Zinsen berechnen bis"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Tag, bis zu dem Zinsen nach § 49a VwVfG auf die Rückforderung berechnet werden, "
            "in der Regel der Tag der Erstattung oder des Rückforderungsbescheids."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"interest_until": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=_("Was soll die Kommune nachbessern?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Die Kommune erhält diesen Text per E-Mail und sieht ihn im Nachweis."),
    )
