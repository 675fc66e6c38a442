"""Representations of monitoring data in the API. Counts and values are decimal strings; a
value hidden by disclosure control is `null` with `suppressed: true` and the reason. Nothing
here may query per row: the views hand over prepared rows."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import Indicator
from municipalities.models import Sozialraum


class IndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-indicator-detail", help_text="Adresse dieses Indikators."
    )
    municipality = serializers.SlugRelatedField(
        slug_field="ags",
        read_only=True,
        allow_null=True,
        help_text="AGS der Kommune bei lokalen Indikatoren, `null` für den Landeskatalog.",
    )
    period_type_label = serializers.CharField(
        source="get_period_type_display", help_text="Zeitbezug, lesbar."
    )
    spatial_reference_label = serializers.CharField(
        source="get_spatial_reference_display", help_text="Raumbezug, lesbar."
    )
    direction_label = serializers.CharField(
        source="get_direction_display", help_text="Richtung, lesbar."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "url",
            "code",
            "name",
            "municipality",
            "theme",
            "life_phase",
            "definition",
            "numerator",
            "denominator",
            "factor",
            "unit",
            "period_type",
            "period_type_label",
            "period_note",
            "spatial_reference",
            "spatial_reference_label",
            "source",
            "direction",
            "direction_label",
            "min_cases",
            "caveats",
            "is_active",
        ]
        extra_kwargs = {
            "id": {"help_text": "Kennung des Indikators im Portal."},
            "code": {"help_text": "Kurzkennung, z. B. `SGB2_U15`."},
            "name": {"help_text": "Name des Indikators."},
            "theme": {"help_text": "Themenfeld, z. B. „Soziale Lage“."},
            "life_phase": {"help_text": "Lebensphase, z. B. `0-3` oder `alle`."},
            "definition": {"help_text": "Definition."},
            "numerator": {"help_text": "Was der Zähler zählt."},
            "denominator": {"help_text": "Was der Nenner zählt."},
            "factor": {
                "help_text": "Faktor: Wert = Zähler / Nenner × Faktor (Dezimalzeichenkette)."
            },
            "unit": {"help_text": "Einheit des Werts, z. B. `%`."},
            "period_type": {
                "help_text": "`kalenderjahr`, `schuljahr` oder `einschulungsjahrgang`; das Jahr "
                "einer Beobachtung ist das Jahr, in dem der Zeitraum beginnt."
            },
            "period_note": {"help_text": "Stichtag oder Zeitraum, z. B. „31.12.“."},
            "spatial_reference": {
                "help_text": "`wohnort`, `einrichtung` oder `sozialraum`: worauf sich der Raum "
                "eines Werts bezieht."
            },
            "source": {"help_text": "Datenquelle."},
            "direction": {
                "help_text": "`higher_is_better`, `lower_is_better` oder `neutral`: wie ein "
                "höherer Wert zu lesen ist."
            },
            "min_cases": {
                "help_text": "Mindestfallzahl k: Werte mit weniger Fällen im Zähler werden ohne "
                "Rohdatenrecht unterdrückt; 0 = keine Unterdrückung."
            },
            "caveats": {"help_text": "Hinweise und Grenzen der Aussagekraft."},
            "is_active": {"help_text": "Ob der Indikator derzeit gepflegt wird."},
        }


class SozialraumSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-sozialraum-detail", help_text="Adresse dieses Sozialraums."
    )
    municipality = serializers.CharField(
        source="municipality.ags", help_text="AGS der Kommune, zu der der Sozialraum gehört."
    )
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Kennung des übergeordneten Bezirks (Stadtbezirk) oder `null`.",
    )
    level_label = serializers.CharField(source="get_level_display", help_text="Ebene, lesbar.")
    has_boundary = serializers.SerializerMethodField(
        help_text="Ob eine Grenze vorliegt (abrufbar über `/sozialraeume/geojson/`)."
    )

    class Meta:
        model = Sozialraum
        fields = [
            "id",
            "url",
            "municipality",
            "code",
            "name",
            "level",
            "level_label",
            "parent",
            "valid_from",
            "valid_to",
            "has_boundary",
        ]
        extra_kwargs = {
            "id": {"help_text": "Kennung des Sozialraums im Portal."},
            "code": {"help_text": "Kennung des Sozialraums in seiner Kommune."},
            "name": {"help_text": "Name des Sozialraums."},
            "level": {"help_text": "`stadtbezirk` oder `sozialraum`."},
            "valid_from": {"help_text": "Gültig ab (ISO-Datum)."},
            "valid_to": {"help_text": "Gültig bis (ISO-Datum) oder `null` für unbefristet."},
        }

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_boundary(self, sozialraum) -> bool:
        return sozialraum.has_boundary


GEOJSON_FEATURE_COLLECTION = {
    "type": "object",
    "description": "GeoJSON-FeatureCollection (RFC 7946, WGS 84) der Sozialräume mit Grenze.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer", "description": "Kennung des Sozialraums."},
                    "properties": {
                        "type": "object",
                        "properties": {
                            "municipality": {"type": "string", "description": "AGS."},
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "level": {"type": "string"},
                            "parent": {"type": "integer", "nullable": True},
                            "valid_from": {"type": "string", "format": "date"},
                            "valid_to": {"type": "string", "format": "date", "nullable": True},
                        },
                    },
                    "geometry": {"type": "object", "additionalProperties": True},
                },
            },
        },
    },
    "required": ["type", "features"],
}


class ObservationQuerySerializer(serializers.Serializer):
    """The filters of /observations/ (validated here: the rows come from the disclosure
    selector, not from a queryset django-filter could narrow)."""

    municipality = serializers.RegexField(
        r"^05[0-9]{3}([0-9]{3})?$",
        error_messages={
            "required": "Bitte den AGS der Kommune angeben, z. B. 05913.",
            "invalid": "Bitte einen AGS mit 5 oder 8 Ziffern angeben, z. B. 05913 oder 05958004.",
        },
    )
    indicator = serializers.CharField(required=False)
    sozialraum = serializers.CharField(required=False)
    period_from = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    period_to = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    totals = serializers.BooleanField(required=False, default=True)

    def validate(self, data):
        start, end = data.get("period_from"), data.get("period_to")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError(
                {"period_to": ["`period_to` darf nicht vor `period_from` liegen."]}
            )
        return data


class ObservationSerializer(serializers.Serializer):
    """One row of the disclosure-controlled table (documentation of the row format; the view
    builds the dicts itself, which is several times faster than a serializer per row)."""

    indicator = serializers.CharField(help_text="Kennung (`code`) des Indikators.")
    indicator_id = serializers.IntegerField(help_text="Kennung des Indikators im Portal.")
    sozialraum = serializers.CharField(
        allow_null=True,
        help_text="Kennung (`code`) des Sozialraums; `null` für den Wert der ganzen Kommune.",
    )
    sozialraum_id = serializers.IntegerField(
        allow_null=True, help_text="Kennung des Sozialraums im Portal oder `null`."
    )
    sozialraum_name = serializers.CharField(
        help_text="Name des Sozialraums; leer für die ganze Kommune."
    )
    period = serializers.IntegerField(
        help_text="Jahr, in dem der Zeitraum beginnt (Kalenderjahr, Schuljahr oder "
        "Einschulungsjahrgang je nach Indikator)."
    )
    numerator = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        allow_null=True,
        help_text="Zähler; `null`, wenn unterdrückt, geheim oder nicht geliefert.",
    )
    denominator = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        allow_null=True,
        help_text="Nenner (Bezugsgröße; bleibt auch bei unterdrücktem Wert sichtbar).",
    )
    value = serializers.DecimalField(
        max_digits=20,
        decimal_places=3,
        allow_null=True,
        help_text="Wert = Zähler / Nenner × Faktor; `null`, wenn unterdrückt oder nicht "
        "berechenbar.",
    )
    unit = serializers.CharField(help_text="Einheit des Werts.")
    suppressed = serializers.BooleanField(
        help_text="`true`: der Wert wird nicht gezeigt (im Portal und im CSV als „.“)."
    )
    reason = serializers.ChoiceField(
        choices=["primary", "secondary", "source-secret", "missing"],
        allow_null=True,
        help_text="Grund: `primary` (weniger als k Fälle), `secondary` (verdeckt, damit ein "
        "anderer Wert nicht zurückgerechnet werden kann), `source-secret` (von der Quelle "
        "geheim gehalten), `missing` (nicht geliefert) oder `null`.",
    )
    hidden_for_others = serializers.BooleanField(
        help_text="Nur bei Rohdatenrecht `true` möglich: andere sehen hier „.“."
    )


class NeedIndexComponentSerializer(serializers.Serializer):
    indicator = serializers.CharField(
        source="indicator.code", help_text="Kennung (`code`) des Indikators."
    )
    indicator_id = serializers.IntegerField(help_text="Kennung des Indikators im Portal.")
    name = serializers.CharField(source="indicator.name", help_text="Name des Indikators.")
    direction = serializers.CharField(
        source="indicator.direction",
        help_text="`higher_is_better` oder `lower_is_better`: höhere Werte eines "
        "„höher ist besser“-Indikators senken den Bedarf.",
    )
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Gewicht im Index (Dezimalzeichenkette)."
    )


class ZScoreSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Kennung (`code`) des Indikators.")
    z = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="Standardisierter, richtungsbereinigter Wert (höher = mehr Bedarf); `null`, "
        "wenn der Wert fehlt oder unterdrückt ist.",
    )


class NeedIndexRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        allow_null=True, help_text="Rang (1 = höchster Bedarf); `null` ohne einen Wert."
    )
    sozialraum = serializers.CharField(
        source="sozialraum.code", help_text="Kennung (`code`) des Sozialraums."
    )
    sozialraum_id = serializers.IntegerField(
        source="sozialraum.pk", help_text="Kennung des Sozialraums im Portal."
    )
    sozialraum_name = serializers.CharField(
        source="sozialraum.name", help_text="Name des Sozialraums."
    )
    score = serializers.DecimalField(
        max_digits=10,
        decimal_places=3,
        allow_null=True,
        help_text="Bedarfsindex: gewichtetes Mittel der z-Werte (höher = mehr Bedarf).",
    )
    missing = serializers.IntegerField(
        help_text="Zahl der Bestandteile ohne (sichtbaren) Wert in diesem Sozialraum."
    )
    z_scores = ZScoreSerializer(many=True, help_text="z-Werte je Bestandteil.")


class NeedIndexSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Bedarfsindex im Portal.")
    url = serializers.HyperlinkedIdentityField(
        view_name="api-need-index-detail", help_text="Adresse dieses Bedarfsindex."
    )
    municipality = serializers.CharField(source="municipality.ags", help_text="AGS der Kommune.")
    name = serializers.CharField(help_text="Name des Bedarfsindex.")
    period = serializers.IntegerField(help_text="Jahr der verwendeten Werte.")
    updated_at = serializers.DateTimeField(help_text="Letzte Änderung (ISO 8601).")


class NeedIndexDetailSerializer(NeedIndexSerializer):
    components = NeedIndexComponentSerializer(many=True, help_text="Bestandteile mit Gewicht.")
    ranking = NeedIndexRankSerializer(
        many=True,
        help_text="Sozialräume nach Bedarf, höchster zuerst; Sozialräume ohne Wert am Ende.",
    )
