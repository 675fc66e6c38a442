"""Forms of the Leitbild pages. They only parse; the rules live in services_leitbild.

Field names equal the services' keyword names, so that a refusal naming a field
(ChainError({"target_year": …})) lands on that field of the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator
from municipalities.models import Sozialraum
from prevention_chains.models import LeitbildGoal, LifePhase
from prevention_chains.services_leitbild import Measure

TEXT_HELP = _(
    "Die Haltung und die Leitsätze der Präventionsarbeit, so wie sie der Rat beschließen soll. "
    "Absätze bleiben erhalten."
)


class LeitbildCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        initial=_("Leitbild für ein gelingendes Aufwachsen"),
    )
    text = forms.CharField(
        label=_("Leitbildtext"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=TEXT_HELP,
    )


class LeitbildEditForm(LeitbildCreateForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, leitbild, **kwargs):
        kwargs.setdefault(
            "initial",
            {"title": leitbild.title, "text": leitbild.text, "version": leitbild.version},
        )
        super().__init__(*args, **kwargs)


class AdoptForm(forms.Form):
    council_decision_on = forms.DateField(
        label=_("Datum des Ratsbeschlusses"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Bitte geben Sie das Datum des Ratsbeschlusses an.")},
    )
    council_decision_ref = forms.CharField(
        label=_("Gremium und Drucksache"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel: Rat der Stadt, Drucksache 123/2025."),
    )
    confirm = forms.BooleanField(
        label=_(
            "Der Rat hat diese Fassung beschlossen. Sie wird danach nicht mehr geändert; die "
            "bisher beschlossene Fassung gilt als abgelöst."
        ),
        error_messages={"required": _("Bitte bestätigen Sie den Beschluss.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"council_decision_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Ziel"), max_length=300)
    description = forms.CharField(
        label=_("Erläuterung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = forms.ModelChoiceField(
        label=_("Oberziel"),
        queryset=LeitbildGoal.objects.none(),
        required=False,
        empty_label=_("– keines: ein eigenes Ziel –"),
        help_text=_("Wählen Sie ein Oberziel, wenn dieses Ziel ein Unterziel ist."),
    )
    position = forms.IntegerField(
        label=_("Reihenfolge"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Leer lassen, um das Ziel ans Ende zu stellen."),
    )
    life_phases = forms.ModelMultipleChoiceField(
        label=_("Lebensphasen"),
        queryset=LifePhase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, leitbild, goal=None, **kwargs):
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": goal.title,
                    "description": goal.description,
                    "parent": goal.parent_id,
                    "position": goal.position,
                    "life_phases": list(goal.life_phases.all()),
                },
            )
        super().__init__(*args, **kwargs)
        parents = LeitbildGoal.objects.filter(leitbild=leitbild, parent__isnull=True)
        if goal is not None:
            parents = parents.exclude(pk=goal.pk)
        self.fields["parent"].queryset = parents.order_by("position", "pk")
        self.fields["life_phases"].queryset = LifePhase.objects.filter(is_active=True)


class GoalIndicatorForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indikator"),
        queryset=Indicator.objects.none(),
        help_text=_("Aus dem Landeskatalog oder ein lokaler Indikator der Kommune."),
    )
    sozialraum = forms.ModelChoiceField(
        label=_("Sozialraum"),
        queryset=Sozialraum.objects.none(),
        required=False,
        empty_label=_("– die ganze Kommune –"),
    )
    baseline_year = forms.IntegerField(label=_("Ausgangsjahr"))
    baseline_value = forms.DecimalField(
        label=_("Ausgangswert"), max_digits=14, decimal_places=3, localize=True
    )
    target_value = forms.DecimalField(
        label=_("Zielwert"), max_digits=14, decimal_places=3, localize=True
    )
    target_year = forms.IntegerField(label=_("Zieljahr"))

    def __init__(self, *args, municipality, goal_indicator=None, **kwargs):
        if goal_indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    "indicator": goal_indicator.indicator_id,
                    "sozialraum": goal_indicator.sozialraum_id,
                    "baseline_year": goal_indicator.baseline_year,
                    "baseline_value": goal_indicator.baseline_value,
                    "target_value": goal_indicator.target_value,
                    "target_year": goal_indicator.target_year,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.usable_by(municipality.pk).order_by(
            "theme", "name", "pk"
        )
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name} ({i.unit})"
        self.fields["sozialraum"].queryset = Sozialraum.objects.filter(
            municipality=municipality
        ).order_by("code", "valid_from", "pk")
        self.fields["sozialraum"].label_from_instance = lambda s: f"{s.code} {s.name}"

    def measure(self) -> Measure:
        return Measure(**self.cleaned_data)
