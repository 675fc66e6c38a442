"""Forms of the good-practice pages. They parse what the user typed; the rules live in
prevention_chains.services_good_practice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prevention_chains.models import FieldOfAction, GoodPractice, LifePhase, TargetGroup
from prevention_chains.selectors_good_practice import LibraryFilters

TEXT_AREA = {"rows": 4}


class LibraryFilterForm(forms.Form):
    suche = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    phase = forms.ChoiceField(label=_("Lebensphase"), required=False)
    feld = forms.ChoiceField(label=_("Handlungsfeld"), required=False)
    zielgruppe = forms.ChoiceField(label=_("Zielgruppe"), required=False)

    def __init__(self, *args, terms: dict[str, list], **kwargs):
        """terms: active_terms() of the selector – one query per taxonomy, shared by the page."""
        super().__init__(*args, **kwargs)
        everything = ("", _("alle"))
        for name, key in (
            ("phase", "life_phases"),
            ("feld", "fields_of_action"),
            ("zielgruppe", "target_groups"),
        ):
            self.fields[name].choices = [everything] + [(t.slug, t.name) for t in terms[key]]

    def filters(self) -> LibraryFilters:
        """The chosen filters; none while the form is invalid (the page says which)."""
        if not self.is_bound or not self.is_valid():
            return LibraryFilters()
        data = self.cleaned_data
        return LibraryFilters(
            phase=data["phase"],
            field=data["feld"],
            target_group=data["zielgruppe"],
            text=data["suche"].strip(),
        )


def _terms_field(model, label, *, required=True, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.filter(is_active=True),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"required": _("Bitte wählen Sie mindestens einen Eintrag.")},
    )


class ProposeForm(forms.ModelForm):
    """Prefilled from the offering; the coordinator says in their own words why it works."""

    life_phases = _terms_field(LifePhase, _("Lebensphasen"))
    fields_of_action = _terms_field(FieldOfAction, _("Handlungsfelder"))
    target_groups = _terms_field(TargetGroup, _("Zielgruppen"), required=False)

    class Meta:
        model = GoodPractice
        fields = ("title", "summary", "why_it_works", "requirements")
        widgets = {
            "summary": forms.Textarea(attrs=TEXT_AREA),
            "why_it_works": forms.Textarea(attrs=TEXT_AREA),
            "requirements": forms.Textarea(attrs=TEXT_AREA),
        }
        help_texts = {
            "summary": _("Was das Angebot ist und wen es erreicht, in wenigen Sätzen."),
            "why_it_works": _(
                "Woran Sie sehen, dass es wirkt, und was andere Kommunen daraus lernen können."
            ),
            "requirements": _("Personal, Räume, Partner, Kosten – was eine Kommune braucht."),
        }

    @classmethod
    def initial_from(cls, offering) -> dict:
        """The offering's texts and its active terms (inactive ones are no longer offered)."""
        return {
            "title": offering.title,
            "summary": offering.description,
            "life_phases": [t for t in offering.life_phases.all() if t.is_active],
            "fields_of_action": [t for t in offering.fields_of_action.all() if t.is_active],
            "target_groups": [t for t in offering.target_groups.all() if t.is_active],
        }


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Hinweis an die Kommune (freiwillig)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Ablehnung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Kommune erhält diese Begründung."),
        error_messages={
            "required": _("Bitte begründen Sie die Ablehnung; die Kommune erfährt die Begründung.")
        },
    )


class AdoptForm(forms.Form):
    """Which of the user's municipalities takes the practice over (hidden if only one)."""

    kommune = forms.TypedChoiceField(
        label=_("In die Präventionskette von"),
        coerce=int,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Ihrer Kommunen.")},
    )

    def __init__(self, *args, municipalities: list, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kommune"]
        field.choices = [(m.pk, m.short_name) for m in municipalities]
        if len(municipalities) == 1:
            field.widget = forms.HiddenInput()
            field.initial = municipalities[0].pk


class ChooseOfferingForm(forms.Form):
    angebot = forms.TypedChoiceField(
        label=_("Angebot"),
        coerce=int,
        help_text=_("Veröffentlichte und pausierte Angebote ohne offenen Eintrag."),
        error_messages={"invalid_choice": _("Bitte wählen Sie ein Angebot aus der Liste.")},
    )

    def __init__(self, *args, offerings: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["angebot"].choices = offerings
