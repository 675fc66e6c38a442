"""Forms of the offering pages. They parse input; prevention_chains.services_offerings decides.
Field names are the model's, so a refusal naming a field lands on it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Sozialraum
from prevention_chains.models import (
    Actor,
    FieldOfAction,
    LifePhase,
    Offering,
    OfferingStatus,
    TargetGroup,
)
from prevention_chains.selectors_offerings import RUNNING, OfferingFilters
from prevention_chains.services_offerings import LANGUAGES, LocationInput, OfferingInput

_MODEL = Offering._meta


def _label(name: str):
    return _MODEL.get_field(name).verbose_name


class SozialraumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class SozialraeumeChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = SozialraumChoiceField.label_from_instance


def _term_filter(label) -> forms.ModelChoiceField:
    """A taxonomy filter by slug; its terms are set per form (inactive ones included)."""
    return forms.ModelChoiceField(
        label=label, required=False, queryset=None, to_field_name="slug", empty_label=_("alle")
    )


class OfferingFilterForm(forms.Form):
    """The list's filters; the parameter names are what the chain matrix links with."""

    q = forms.CharField(
        label=_("Suche"),
        required=False,
        max_length=200,
        help_text=_("Wörter aus Titel oder Beschreibung; „-Wort“ schließt aus."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("alle")),
            (RUNNING, _("laufend (veröffentlicht oder pausiert)")),
            *OfferingStatus.choices,
        ],
    )
    phase = _term_filter(_("Lebensphase"))
    feld = _term_filter(_("Handlungsfeld"))
    zielgruppe = _term_filter(_("Zielgruppe"))
    sozialraum = SozialraumChoiceField(
        label=_("Sozialraum"),
        required=False,
        queryset=None,
        empty_label=_("alle"),
        help_text=_(
            "Angebote ohne Sozialraum gelten für die ganze Kommune und zählen mit, ebenso "
            "Angebote für den Stadtbezirk darüber oder die Sozialräume darunter."
        ),
    )
    veraltet = forms.BooleanField(label=_("nur nicht mehr bestätigte Angebote"), required=False)

    def __init__(self, data, *, municipality: Municipality):
        super().__init__(data)
        self.fields["phase"].queryset = LifePhase.objects.all()
        self.fields["feld"].queryset = FieldOfAction.objects.all()
        self.fields["zielgruppe"].queryset = TargetGroup.objects.all()
        areas = Sozialraum.objects.filter(municipality=municipality).order_by("code", "valid_from")
        self.fields["sozialraum"].queryset = areas

    def filters(self) -> OfferingFilters:
        """The valid filters; a value the form refused does not filter (its error shows)."""
        data = self.cleaned_data if self.is_bound else {}
        slug = lambda term: term.slug if term else ""  # noqa: E731
        return OfferingFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            phase=slug(data.get("phase")),
            field=slug(data.get("feld")),
            target_group=slug(data.get("zielgruppe")),
            sozialraum=data["sozialraum"].pk if data.get("sozialraum") else None,
            stale=True if data.get("veraltet") else None,
        )


def _terms(model, kept_ids):
    """Active terms, plus those the offering already has (they may stay)."""
    return model.objects.filter(is_active=True) | model.objects.filter(pk__in=kept_ids)


class OfferingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_label("title"), max_length=200)
    description = forms.CharField(
        label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    provider = forms.ModelChoiceField(
        label=_label("provider"),
        queryset=None,
        required=False,
        empty_label=_("kein Träger angegeben"),
        help_text=_("Akteure Ihrer Kommune; fehlt einer, legen Sie ihn unter „Akteure“ an."),
    )
    life_phases = forms.ModelMultipleChoiceField(
        label=_label("life_phases"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    fields_of_action = forms.ModelMultipleChoiceField(
        label=_label("fields_of_action"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_label("target_groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_from = forms.IntegerField(
        label=_label("age_from"), required=False, min_value=0, max_value=99
    )
    age_to = forms.IntegerField(
        label=_label("age_to"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Zum Beispiel 0 bis unter 3 für Kinder unter drei Jahren."),
    )
    sozialraeume = SozialraeumeChoiceField(
        label=_label("sozialraeume"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keiner gewählt: das Angebot richtet sich an die ganze Kommune."),
    )
    schedule = forms.CharField(
        label=_label("schedule"),
        required=False,
        max_length=300,
        help_text=_("Zum Beispiel: dienstags 9–11 Uhr, außer in den Schulferien."),
    )
    is_free = forms.BooleanField(label=_label("is_free"), required=False)
    cost_note = forms.CharField(
        label=_label("cost_note"),
        required=False,
        max_length=300,
        help_text=_("Nötig, wenn das Angebot nicht kostenfrei ist."),
    )
    languages = forms.MultipleChoiceField(
        label=_label("languages"),
        required=False,
        choices=list(LANGUAGES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.CharField(label=_label("accessibility"), required=False, max_length=300)
    contact_name = forms.CharField(label=_label("contact_name"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_label("contact_email"), required=False)
    contact_phone = forms.CharField(label=_label("contact_phone"), required=False, max_length=40)
    website = forms.URLField(
        label=_label("website"), required=False, assume_scheme="https", max_length=200
    )
    status = forms.ChoiceField(label=_label("status"), choices=OfferingStatus.choices)

    def __init__(self, *args, municipality: Municipality, offering: Offering | None = None, **kw):
        super().__init__(*args, **kw)

        def kept(name: str) -> list[int]:
            return list(getattr(offering, name).values_list("pk", flat=True)) if offering else []

        self.fields["provider"].queryset = Actor.objects.filter(municipality=municipality)
        self.fields["life_phases"].queryset = _terms(LifePhase, kept("life_phases"))
        self.fields["fields_of_action"].queryset = _terms(FieldOfAction, kept("fields_of_action"))
        self.fields["target_groups"].queryset = _terms(TargetGroup, kept("target_groups"))
        today = timezone.localdate()
        valid = Sozialraum.objects.filter(municipality=municipality).valid_on(today)
        areas = valid | Sozialraum.objects.filter(pk__in=kept("sozialraeume"))
        self.fields["sozialraeume"].queryset = areas.order_by("code", "valid_from")

    GROUPS = (
        (_("Das Angebot"), ("title", "description", "provider", "status")),
        (
            _("Einordnung in die Präventionskette"),
            (
                "life_phases",
                "fields_of_action",
                "target_groups",
                "age_from",
                "age_to",
                "sozialraeume",
            ),
        ),
        (
            _("Zeiten und Teilnahme"),
            ("schedule", "is_free", "cost_note", "languages", "accessibility"),
        ),
        (_("Kontakt"), ("contact_name", "contact_email", "contact_phone", "website")),
    )

    def groups(self):
        """The fields in the sections of the page, as (legend, bound fields)."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    @classmethod
    def initial_for(cls, offering: Offering) -> dict:
        initial = {name: getattr(offering, name) for name in cls.base_fields}
        for name in ("life_phases", "fields_of_action", "target_groups", "sozialraeume"):
            initial[name] = list(getattr(offering, name).values_list("pk", flat=True))
        initial["provider"] = offering.provider_id
        return initial

    def to_input(self, locations: list[LocationInput]) -> OfferingInput:
        data = self.cleaned_data
        return OfferingInput(
            **{name: data[name] for name in self.fields if name != "version"},
            locations=locations,
        )


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Ort/Einrichtung"), max_length=200)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=150, required=False)
    postcode = forms.CharField(
        label=_("PLZ"),
        max_length=5,
        min_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)


class BaseLocationFormSet(forms.BaseFormSet):
    def locations(self) -> list[LocationInput]:
        return [
            LocationInput(**{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


LocationFormSet = forms.formset_factory(
    LocationForm, formset=BaseLocationFormSet, extra=0, can_delete=True, max_num=30
)


class DeleteForm(forms.Form):
    bestaetigt = forms.BooleanField(label=_("Ja, dieses Angebot endgültig löschen"), required=True)
