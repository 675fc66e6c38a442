"""Query filters of the monitoring API. A value that cannot be understood is a 400 with the
reason, never silently ignored (the convention of municipalities.api.filters)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import FilterSet

from monitoring.models import Indicator, NeedIndex
from municipalities.api.filters import ANY_AGS, StrictBooleanFilter
from municipalities.models import Municipality, Sozialraum, SozialraumLevel


class MunicipalityAgsField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Municipality.objects.only("pk", "ags"))
        kwargs.setdefault("to_field_name", "ags")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Eine Kommune mit diesem AGS gibt es nicht.")},
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if value not in self.empty_values:
            ANY_AGS(value)
        return super().clean(value)


class MunicipalityAgsFilter(django_filters.Filter):
    field_class = MunicipalityAgsField


class IndicatorFilter(FilterSet):
    theme = django_filters.CharFilter(
        lookup_expr="iexact",
        help_text="Themenfeld, z. B. „Soziale Lage“ (ohne Groß-/Kleinschreibung).",
    )
    life_phase = django_filters.CharFilter(
        lookup_expr="iexact", help_text="Lebensphase, z. B. `0-3` oder `alle`."
    )
    municipality = MunicipalityAgsFilter(
        method="filter_municipality",
        help_text="AGS einer Kommune: der Landeskatalog und deren lokale Indikatoren "
        "(soweit Sie die Kommune sehen dürfen).",
    )
    catalogue = StrictBooleanFilter(
        method="filter_catalogue",
        help_text="`true`: nur der Landeskatalog; `false`: nur lokale Indikatoren.",
    )

    class Meta:
        model = Indicator
        fields = ["theme", "life_phase", "municipality", "catalogue"]

    def filter_municipality(self, queryset, name, municipality):
        return queryset.filter(Q(municipality__isnull=True) | Q(municipality=municipality))

    def filter_catalogue(self, queryset, name, value: bool):
        return queryset.filter(municipality__isnull=value)


class SozialraumFilter(FilterSet):
    municipality = MunicipalityAgsFilter(
        field_name="municipality", help_text="AGS der Kommune (5 oder 8 Ziffern)."
    )
    valid_on = django_filters.DateFilter(
        method="filter_valid_on",
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": _("Ungültiges Datum. Erwartet wird das Format JJJJ-MM-TT, z. B. 2024-12-31.")
        },
        help_text="Nur am Stichtag gültige Sozialräume (ISO-Datum JJJJ-MM-TT); ohne Angabe "
        "alle Fassungen, auch frühere Zuschnitte.",
    )
    level = django_filters.ChoiceFilter(
        choices=SozialraumLevel.choices, help_text="`stadtbezirk` oder `sozialraum`."
    )

    class Meta:
        model = Sozialraum
        fields = ["municipality", "valid_on", "level"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)


class NeedIndexFilter(FilterSet):
    municipality = MunicipalityAgsFilter(
        field_name="municipality", help_text="AGS der Kommune (5 oder 8 Ziffern)."
    )
    period = django_filters.NumberFilter(help_text="Jahr der verwendeten Werte.")

    class Meta:
        model = NeedIndex
        fields = ["municipality", "period"]
