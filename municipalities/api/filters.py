"""Query filters of the API. A value that cannot be understood is a 400 with the reason, never
silently ignored: a client that misspells `kind=kreis` must not receive all 427 municipalities."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import BooleanFilter, FilterSet
from django_filters.widgets import BooleanWidget

from municipalities.models import (
    Municipality,
    MunicipalityKind,
    Participation,
    Programme,
    Regierungsbezirk,
)

KREIS_AGS = RegexValidator(
    r"^05[0-9]{3}$",
    _("Bitte den fünfstelligen AGS eines Kreises angeben, z. B. 05958."),
)
ANY_AGS = RegexValidator(
    r"^05[0-9]{3}([0-9]{3})?$",
    _("Bitte einen AGS mit 5 oder 8 Ziffern angeben, z. B. 05913 oder 05958004."),
)


class _StrictBooleanWidget(BooleanWidget):
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        # BooleanWidget turns an unknown word into "no filter"; keep it so the field rejects it.
        return data.get(name) if value is None else value


class _StrictBooleanField(forms.NullBooleanField):
    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        raise forms.ValidationError(_("Bitte „true“ oder „false“ angeben."), code="invalid")


class StrictBooleanFilter(BooleanFilter):
    field_class = _StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _StrictBooleanWidget)
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProgrammeSlugFilter(django_filters.CharFilter):
    """A programme by its slug. An unknown one is a 400 (a typo), not an empty list that looks
    like an answer."""

    field_class = forms.ModelChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Programme.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Ein Programm mit diesem Kürzel gibt es nicht.")},
        )
        super().__init__(**kwargs)


class MunicipalityFilter(FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=MunicipalityKind.choices, help_text="Art der Kommune."
    )
    regierungsbezirk = django_filters.ChoiceFilter(
        choices=Regierungsbezirk.choices,
        help_text="Schlüssel des Regierungsbezirks: 051 Düsseldorf, 053 Köln, 055 Münster, "
        "057 Detmold, 059 Arnsberg.",
    )
    parent = django_filters.CharFilter(
        field_name="parent__ags",
        validators=[KREIS_AGS],
        help_text="AGS des Kreises (5 Ziffern): nur dessen Gemeinden.",
    )
    participating = StrictBooleanFilter(
        method="filter_noop",
        help_text="`true`: nur Kommunen, die am Stichtag `date` (Voreinstellung heute) "
        "teilnehmen – mit `programme` an diesem Programm; `false`: nur die übrigen.",
    )
    programme = ProgrammeSlugFilter(
        method="filter_noop",
        help_text="Kürzel eines Programms (z. B. `kekiz`): allein nur Kommunen, die je daran "
        "teilgenommen haben; mit `participating` oder `cohort` grenzt es diese auf das "
        "Programm ein.",
    )
    cohort = IntegerFilter(
        method="filter_cohort", help_text="Nur Kommunen mit einer Teilnahme dieses Jahrgangs."
    )
    date = django_filters.DateFilter(
        method="filter_noop",
        help_text="Stichtag für `participating` (ISO-Datum JJJJ-MM-TT; Voreinstellung heute).",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Suche im Namen (Teilwort, ohne Groß-/Kleinschreibung) oder Anfang des AGS.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(("ags", "ags"), ("short_name", "name")),
        help_text="Sortierung: `name` (Voreinstellung), `ags`; mit `-` absteigend.",
    )

    class Meta:
        model = Municipality
        fields = ["kind", "regierungsbezirk", "parent"]

    def filter_noop(self, queryset, name, value):
        # The participation filters act together (programme and date qualify participating and
        # cohort); filter_queryset applies them as one condition.
        return queryset

    def filter_cohort(self, queryset, name, value: int):
        return queryset  # see filter_noop; the hint gives the schema its integer type

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(short_name__icontains=value) | Q(name__icontains=value) | Q(ags__startswith=value)
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        participations = Participation.objects.filter(municipality=OuterRef("pk"))
        if data.get("programme") is not None:
            participations = participations.filter(programme=data["programme"])
        if data.get("cohort") is not None:
            queryset = queryset.filter(Exists(participations.filter(cohort=data["cohort"])))
        if data.get("participating") is not None:
            active = Exists(participations.active_on(data.get("date") or timezone.localdate()))
            queryset = queryset.filter(active if data["participating"] else ~active)
        elif data.get("programme") is not None and data.get("cohort") is None:
            queryset = queryset.filter(Exists(participations))
        # Names repeat across Kreise, so sorting by name alone would let rows swap pages.
        ordering = queryset.query.order_by
        if ordering and not {"ags", "-ags"} & set(ordering):
            queryset = queryset.order_by(*ordering, "ags")
        return queryset


class ParticipationFilter(FilterSet):
    programme = ProgrammeSlugFilter(help_text="Kürzel des Programms, z. B. `kekiz`.")
    cohort = IntegerFilter(help_text="Jahrgang, z. B. 2012 oder 2017.")
    municipality = django_filters.CharFilter(
        field_name="municipality__ags",
        validators=[ANY_AGS],
        help_text="AGS der Kommune (5 oder 8 Ziffern).",
    )

    class Meta:
        model = Participation
        fields = ["programme", "cohort", "municipality"]
