"""Representations of the reference data: ISO dates, integers for counts, decimal strings for
percentages and areas. The views prepare the querysets; nothing here may query per row."""

from decimal import ROUND_HALF_UP, Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from municipalities.models import (
    Municipality,
    Participation,
    PopulationFigure,
    Programme,
    ProgrammePhase,
)

PERCENT_PLACES = Decimal("0.1")


def percent(part: int, whole: int) -> str | None:
    """Share in percent with one decimal, computed from the integers (no float rounding)."""
    if not whole:
        return None
    return str((Decimal(100 * part) / Decimal(whole)).quantize(PERCENT_PLACES, ROUND_HALF_UP))


# --- programmes --------------------------------------------------------------------------------


class ProgrammePhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammePhase
        fields = ["name", "start_date", "end_date", "description"]
        extra_kwargs = {"name": {"help_text": "Name der Phase."}}


class ProgrammeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-programme-detail", lookup_field="slug", help_text="Adresse dieses Programms."
    )
    phases = ProgrammePhaseSerializer(many=True, read_only=True, help_text="Phasen nach Beginn.")
    participations_count = serializers.IntegerField(
        read_only=True, help_text="Zahl der Teilnahmen (alle Jahrgänge)."
    )
    participations_url = serializers.SerializerMethodField(
        help_text="Liste der Teilnahmen an diesem Programm."
    )
    coverage_url = serializers.SerializerMethodField(
        help_text="Abdeckungskennzahlen dieses Programms zum heutigen Tag."
    )

    class Meta:
        model = Programme
        fields = [
            "slug",
            "url",
            "name",
            "short_name",
            "description",
            "website",
            "phases",
            "participations_count",
            "participations_url",
            "coverage_url",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Kürzel des Programms, z. B. `kekiz`."},
            "name": {"help_text": "Name des Programms."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_participations_url(self, programme) -> str:
        url = reverse("api-participation-list", request=self.context.get("request"))
        return f"{url}?programme={programme.slug}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_coverage_url(self, programme) -> str:
        return reverse(
            "api-programme-coverage",
            kwargs={"slug": programme.slug},
            request=self.context.get("request"),
        )


# --- municipalities ----------------------------------------------------------------------------


class MunicipalityRefSerializer(serializers.ModelSerializer):
    # A municipality named inside another object: enough to show it and to follow it.

    url = serializers.HyperlinkedIdentityField(
        view_name="api-municipality-detail", lookup_field="ags", help_text="Adresse der Kommune."
    )

    class Meta:
        model = Municipality
        fields = ["ags", "name", "short_name", "kind", "url"]
        extra_kwargs = {"ags": {"help_text": "Amtlicher Gemeindeschlüssel."}}


class PopulationSerializer(serializers.Serializer):
    date = serializers.DateField(source="reference_date", help_text="Stichtag.")
    total = serializers.IntegerField(help_text="Bevölkerung insgesamt.")


class PopulationUnder18Serializer(serializers.Serializer):
    date = serializers.DateField(source="reference_date", help_text="Stichtag.")
    under_18 = serializers.IntegerField(help_text="Bevölkerung unter 18 Jahren.")


class PopulationFigureSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="reference_date", help_text="Stichtag.")

    class Meta:
        model = PopulationFigure
        fields = ["date", "total", "under_18", "source"]


class ParticipationBriefSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Kürzel (slug) des Programms."
    )

    class Meta:
        model = Participation
        fields = ["programme", "cohort", "joined_on", "left_on"]


class MunicipalitySerializer(serializers.ModelSerializer):
    # The view attaches `latest_population` and `latest_under_18` (lists of at most one
    # figure) and prefetches the participations, so this never queries.

    url = serializers.HyperlinkedIdentityField(
        view_name="api-municipality-detail", lookup_field="ags", help_text="Adresse der Kommune."
    )
    kind_label = serializers.CharField(source="get_kind_display", help_text="Art, lesbar.")
    regierungsbezirk_name = serializers.CharField(
        source="get_regierungsbezirk_display", help_text="Name des Regierungsbezirks."
    )
    parent = MunicipalityRefSerializer(
        read_only=True, allow_null=True, help_text="Kreis, zu dem die Gemeinde gehört."
    )
    population = serializers.SerializerMethodField(
        help_text="Jüngste Bevölkerungszahl (Stichtag, insgesamt) oder `null`."
    )
    population_under_18 = serializers.SerializerMethodField(
        help_text="Jüngste bekannte Zahl der unter 18-Jährigen oder `null` "
        "(für einzelne kreisangehörige Gemeinden nicht veröffentlicht)."
    )
    participations = ParticipationBriefSerializer(
        many=True, read_only=True, help_text="Teilnahmen an Programmen."
    )

    class Meta:
        model = Municipality
        fields = [
            "ags",
            "url",
            "gemeinde_ags",
            "name",
            "short_name",
            "slug",
            "kind",
            "kind_label",
            "go_nrw_status",
            "regierungsbezirk",
            "regierungsbezirk_name",
            "parent",
            "area_km2",
            "population",
            "population_under_18",
            "participations",
        ]
        extra_kwargs = {
            "ags": {
                "help_text": "Amtlicher Gemeindeschlüssel: 5 Stellen für Kreisebene, 8 für "
                "kreisangehörige Gemeinden."
            },
            "gemeinde_ags": {
                "help_text": "Achtstelliger Gemeindeschlüssel einer kreisfreien Stadt (sonst leer)."
            },
            "regierungsbezirk": {"help_text": "Schlüssel des Regierungsbezirks, z. B. `051`."},
            "area_km2": {"help_text": "Fläche in km² als Dezimalzeichenkette."},
            "slug": {"help_text": "Kürzel der Kommune in Adressen des Portals."},
        }

    # Plain dicts, not a nested serializer per row: building a serializer instance per row
    # costs more than the whole database work of a list page. The schema still names the shape.
    @extend_schema_field(PopulationSerializer(allow_null=True))
    def get_population(self, municipality):
        figures = municipality.latest_population
        if not figures:
            return None
        return {"date": figures[0].reference_date.isoformat(), "total": figures[0].total}

    @extend_schema_field(PopulationUnder18Serializer(allow_null=True))
    def get_population_under_18(self, municipality):
        figures = municipality.latest_under_18
        if not figures:
            return None
        return {"date": figures[0].reference_date.isoformat(), "under_18": figures[0].under_18}


class MunicipalityDetailSerializer(MunicipalitySerializer):
    population_series = PopulationFigureSerializer(
        many=True, read_only=True, help_text="Alle Bevölkerungszahlen nach Stichtag."
    )
    gemeinden = MunicipalityRefSerializer(
        many=True, read_only=True, help_text="Gemeinden eines Kreises (sonst leer)."
    )
    boundary_url = serializers.SerializerMethodField(
        help_text="GeoJSON-Feature mit der Grenze (nur Kreisebene), sonst `null`."
    )

    class Meta(MunicipalitySerializer.Meta):
        fields = [
            *MunicipalitySerializer.Meta.fields,
            "ars",
            "postcode",
            "latitude",
            "longitude",
            "population_series",
            "gemeinden",
            "boundary_url",
        ]
        extra_kwargs = {
            **MunicipalitySerializer.Meta.extra_kwargs,
            "ars": {"help_text": "Amtlicher Regionalschlüssel."},
            "postcode": {"help_text": "Postleitzahl des Verwaltungssitzes."},
            "latitude": {"help_text": "Breitengrad des Verwaltungssitzes (WGS 84)."},
            "longitude": {"help_text": "Längengrad des Verwaltungssitzes (WGS 84)."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_boundary_url(self, municipality) -> str | None:
        if municipality.boundary is None:
            return None
        return reverse(
            "api-municipality-boundary",
            kwargs={"ags": municipality.ags},
            request=self.context.get("request"),
        )


class MunicipalityCsvSerializer(serializers.ModelSerializer):
    # The list flattened to one line per municipality for spreadsheets.

    parent_ags = serializers.CharField(source="parent.ags", default="")
    parent_name = serializers.CharField(source="parent.short_name", default="")
    population_date = serializers.SerializerMethodField()
    population = serializers.SerializerMethodField()
    population_under_18_date = serializers.SerializerMethodField()
    population_under_18 = serializers.SerializerMethodField()
    programmes = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = [
            "ags",
            "name",
            "short_name",
            "kind",
            "regierungsbezirk",
            "parent_ags",
            "parent_name",
            "area_km2",
            "population_date",
            "population",
            "population_under_18_date",
            "population_under_18",
            "programmes",
        ]

    def get_population_date(self, municipality):
        figures = municipality.latest_population
        return figures[0].reference_date.isoformat() if figures else None

    def get_population(self, municipality):
        figures = municipality.latest_population
        return figures[0].total if figures else None

    def get_population_under_18_date(self, municipality):
        figures = municipality.latest_under_18
        return figures[0].reference_date.isoformat() if figures else None

    def get_population_under_18(self, municipality):
        figures = municipality.latest_under_18
        return figures[0].under_18 if figures else None

    def get_programmes(self, municipality) -> str:
        # "kekiz:2012" per participation, ";"-separated: one cell, still machine-readable.
        return ";".join(f"{p.programme.slug}:{p.cohort}" for p in municipality.participations.all())


# --- participations ----------------------------------------------------------------------------


class ParticipationSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Kürzel (slug) des Programms."
    )
    municipality = MunicipalityRefSerializer(read_only=True, help_text="Die Kommune.")

    class Meta:
        model = Participation
        fields = ["id", "programme", "municipality", "cohort", "joined_on", "left_on", "note"]
        extra_kwargs = {
            "id": {"help_text": "Kennung der Teilnahme."},
            "cohort": {"help_text": "Jahrgang (Jahr des Einstiegs)."},
            "joined_on": {"help_text": "Teilnahme seit (ISO-Datum)."},
            "left_on": {"help_text": "Teilnahme bis (ISO-Datum, ausschließlich) oder `null`."},
        }


# --- coverage ----------------------------------------------------------------------------------


class ShareSerializer(serializers.Serializer):
    covered = serializers.IntegerField(help_text="Anzahl abgedeckt.")
    total = serializers.IntegerField(help_text="Anzahl insgesamt in NRW.")
    percent = serializers.SerializerMethodField(
        help_text="Anteil in Prozent, eine Nachkommastelle."
    )

    @extend_schema_field(
        {"type": "string", "format": "decimal", "nullable": True, "example": "59.1"}
    )
    def get_percent(self, share):
        return percent(share.covered, share.total)


class BoundsSerializer(serializers.Serializer):
    lower = serializers.IntegerField(help_text="Untere Grenze (exakt).")
    upper = serializers.IntegerField(help_text="Obere Grenze (exakt).")
    estimate = serializers.IntegerField(
        allow_null=True, help_text="Schätzwert, wenn nicht exakt; sonst `null`."
    )
    exact = serializers.BooleanField(source="is_exact", help_text="`true`, wenn lower = upper.")


class PercentBoundsSerializer(serializers.Serializer):
    # The same bounds as shares of the NRW total; strings like every percentage.
    lower = serializers.CharField(allow_null=True, help_text="Untere Grenze in Prozent.")
    upper = serializers.CharField(allow_null=True, help_text="Obere Grenze in Prozent.")
    estimate = serializers.CharField(
        allow_null=True, help_text="Schätzwert in Prozent oder `null`."
    )
    exact = serializers.BooleanField(help_text="`true`, wenn die Zahl exakt ist.")


class PopulationCoverageSerializer(serializers.Serializer):
    covered = BoundsSerializer(help_text="Abgedeckte Personen, jede nur einmal gezählt.")
    total = serializers.IntegerField(help_text="Bevölkerung NRW am Stichtag.")
    date = serializers.DateField(help_text="Stichtag der verwendeten Bevölkerungszahlen.")
    percent = PercentBoundsSerializer(help_text="Anteil an NRW in Prozent.")


class CoverageSerializer(serializers.Serializer):
    # Reads a municipalities.coverage.Coverage.

    programme = serializers.CharField(source="programme_slug", help_text="Kürzel des Programms.")
    date = serializers.DateField(source="reference_date", help_text="Bezugsdatum.")
    participants = serializers.IntegerField(help_text="Zahl der Teilnehmenden am Bezugsdatum.")
    kreisfreie_staedte = ShareSerializer(help_text="Teilnehmende kreisfreie Städte von allen.")
    kreise = ShareSerializer(help_text="Teilnehmende Kreise (einschl. StädteRegion) von allen.")
    gemeinden = ShareSerializer(
        help_text="Abgedeckte Gemeinden (selbst oder über ihren Kreis) von allen 396."
    )
    population = serializers.SerializerMethodField(help_text="Abgedeckte Bevölkerung.")
    population_under_18 = serializers.SerializerMethodField(
        help_text="Abgedeckte Bevölkerung unter 18 Jahren."
    )
    counted_through_kreis = serializers.ListField(
        child=serializers.CharField(),
        help_text="Teilnehmende, deren Einwohner schon über ihren ebenfalls teilnehmenden "
        "Kreis gezählt sind (z. B. Gladbeck im Kreis Recklinghausen).",
    )
    under_18_estimated_for = serializers.ListField(
        child=serializers.CharField(),
        help_text="Teilnehmende ohne eigene Altersangaben; ihretwegen ist die Zahl der "
        "unter 18-Jährigen eine Spanne.",
    )
    notes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Erläuterungen auf Deutsch, z. B. warum eine Zahl nur als Spanne vorliegt.",
    )

    @extend_schema_field(PopulationCoverageSerializer)
    def get_population(self, coverage):
        return _population(coverage.population, coverage.population_total, coverage.population_date)

    @extend_schema_field(PopulationCoverageSerializer)
    def get_population_under_18(self, coverage):
        return _population(
            coverage.population_under_18,
            coverage.population_under_18_total,
            coverage.population_under_18_date,
        )


def _population(bounds, total, date) -> dict:
    return {
        "covered": BoundsSerializer(bounds).data,
        "total": total,
        "date": serializers.DateField().to_representation(date),
        "percent": {
            "lower": percent(bounds.lower, total),
            "upper": percent(bounds.upper, total),
            "estimate": None if bounds.estimate is None else percent(bounds.estimate, total),
            "exact": bounds.is_exact,
        },
    }
