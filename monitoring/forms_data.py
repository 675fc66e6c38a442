"""Forms of the monitoring data pages: Sozialräume, local indicators, single values, flags,
approval. They parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import (
    Direction,
    Indicator,
    ObservationStatus,
    PeriodType,
    SpatialReference,
)
from municipalities.models import SozialraumLevel

DATE_INPUT = {"input_formats": ["%Y-%m-%d", "%d.%m.%Y"]}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR_FIELD = {"min_value": 1990, "max_value": 2100}


class SozialraumForm(forms.Form):
    code = forms.CharField(label=_("Kennung"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=150)
    level = forms.ChoiceField(label=_("Ebene"), choices=SozialraumLevel.choices)
    parent = forms.TypedChoiceField(
        label=_("übergeordneter Stadtbezirk"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Nur für Sozialräume, die zu einem Stadtbezirk gehören."),
    )
    valid_from = forms.DateField(label=_("gültig ab"), widget=DATE_WIDGET, **DATE_INPUT)
    valid_to = forms.DateField(
        label=_("gültig bis"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leer lassen, solange der Zuschnitt gilt."),
        **DATE_INPUT,
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.pk: d for d in districts}
        self.fields["parent"].choices = [("", _("keiner"))] + [
            (d.pk, f"{d.code} {d.name}") for d in districts
        ]

    def clean_parent(self):
        pk = self.cleaned_data["parent"]
        return self.districts.get(pk) if pk else None


class NewVersionForm(forms.Form):
    valid_from = forms.DateField(
        label=_("neuer Zuschnitt gilt ab"), widget=DATE_WIDGET, **DATE_INPUT
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Leer lassen, wenn der Name bleibt."),
    )
    boundary = forms.FileField(
        label=_("neue Grenze (GeoJSON)"),
        required=False,
        help_text=_("Leer lassen, um die bisherige Grenze zu übernehmen und später zu ändern."),
    )


class BoundaryForm(forms.Form):
    boundary = forms.FileField(
        label=_("Grenze als GeoJSON-Datei"),
        help_text=_(
            "Ein Feature, eine FeatureCollection mit genau einem Feature oder eine Polygon- bzw. "
            "MultiPolygon-Geometrie, Koordinaten in WGS84 (EPSG:4326)."
        ),
    )

    def clean_boundary(self):
        upload = self.cleaned_data["boundary"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Die Datei ist größer als 5 MB; bitte vereinfachen."))
        return upload.read()


class PopulationForm(forms.Form):
    rows = forms.CharField(
        label=_("Bevölkerung nach Jahr und Altersgruppe"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Eine Zeile je Altersgruppe: Jahr; Alter von; Alter bis unter; Anzahl – z. B. "
            "„2023;0;3;412“. Für eine offene Gruppe (65 und älter) „Alter bis unter“ leer "
            "lassen. Aus einer Tabelle kopierte Zeilen (Tabulator) gehen auch."
        ),
    )


class LocalIndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "theme",
            "life_phase",
            "definition",
            "numerator",
            "denominator",
            "factor",
            "unit",
            "period_type",
            "period_note",
            "spatial_reference",
            "source",
            "direction",
            "min_cases",
            "numerator_within_denominator",
            "value_min",
            "value_max",
            "caveats",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "caveats": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_type"].choices = PeriodType.choices
        self.fields["spatial_reference"].choices = SpatialReference.choices
        self.fields["direction"].choices = Direction.choices

    def validate_unique(self):
        """The service checks the code within the municipality (the form has no municipality)."""


class EntryForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indikator"), coerce=int)
    sozialraum = forms.TypedChoiceField(label=_("Sozialraum"), coerce=int)
    period = forms.IntegerField(label=_("Jahr"), **YEAR_FIELD)
    status = forms.ChoiceField(
        label=_("Status"), choices=ObservationStatus.choices, initial=ObservationStatus.REPORTED
    )
    numerator = forms.DecimalField(
        label=_("Zähler"), required=False, min_value=0, max_digits=14, decimal_places=3
    )
    denominator = forms.DecimalField(
        label=_("Nenner"), required=False, min_value=0, max_digits=14, decimal_places=3
    )
    # The version of the stored value the form was opened with (optimistic locking).
    expected_updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicators, sozialraeume, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.pk: i for i in indicators}
        self.sozialraeume = {s.pk: s for s in sozialraeume}
        self.fields["indicator"].choices = [("", _("bitte wählen"))] + [
            (i.pk, f"{i.name} ({i.code})") for i in indicators
        ]
        self.fields["sozialraum"].choices = [("", _("bitte wählen"))] + [
            (s.pk, f"{s.code} {s.name}") for s in sozialraeume
        ]

    def clean_indicator(self):
        return self.indicators[self.cleaned_data["indicator"]]

    def clean_sozialraum(self):
        return self.sozialraeume[self.cleaned_data["sozialraum"]]


class ResolveFlagForm(forms.Form):
    note = forms.CharField(
        label=_("Prüfvermerk"),
        max_length=300,
        help_text=_("Was hat die Prüfung ergeben? Zum Beispiel: „Neubaugebiet, Wert stimmt.“"),
    )


class FlagFilterForm(forms.Form):
    art = forms.ChoiceField(label=_("Art"), required=False)
    jahr = forms.IntegerField(label=_("Jahr"), required=False, **YEAR_FIELD)
    indikator = forms.TypedChoiceField(
        label=_("Indikator"), required=False, coerce=int, empty_value=None
    )
    erledigt = forms.BooleanField(label=_("auch geprüfte zeigen"), required=False)

    def __init__(self, *args, kinds, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["art"].choices = [("", _("alle Arten")), *kinds]
        self.fields["indikator"].choices = [("", _("alle Indikatoren"))] + [
            (i.pk, i.name) for i in indicators
        ]


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich bestätige: die Daten dieses Jahres sind geprüft und vollständig."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird im Verlauf des Jahres festgehalten."),
    )
