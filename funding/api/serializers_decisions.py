"""Requests and responses of the decision and document endpoints. Money as decimal strings,
dates ISO 8601. Rows come from values() querysets (see funding.api.decisions); nothing here
queries per row."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding.models import DecisionKind, DocumentKind, DocumentStatus, FinancingType

MONEY = {"max_digits": 12, "decimal_places": 2}
DECIDABLE_KINDS = [
    (kind, label) for kind, label in DecisionKind.choices if kind != DecisionKind.AMENDMENT
]


def _values(label: str, choices) -> str:
    # Plain strings with their values listed: enum components named after the field ("kind",
    # "status") would collide with other endpoints' sets of the same name.
    return f"{label}: " + ", ".join(f"`{value}` ({name})" for value, name in choices.choices)


class DecisionYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Förderjahr.")
    eligible_costs = serializers.DecimalField(**MONEY, help_text="zuwendungsfähige Ausgaben.")
    grant = serializers.DecimalField(**MONEY, help_text="bewilligte Zuwendung.")


class DecisionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Bescheides.")
    application = serializers.IntegerField(
        source="application_id", help_text="Kennung des Antrags."
    )
    application_number = serializers.CharField(
        source="application__number", help_text="Antragsnummer."
    )
    municipality_ags = serializers.CharField(
        source="application__municipality__ags", help_text="AGS der Kommune, z. B. 05766."
    )
    kind = serializers.CharField(help_text=_values("Art des Bescheides", DecisionKind))
    file_reference = serializers.CharField(help_text="Aktenzeichen, z. B. KeKiz-2027/0042.")
    is_current = serializers.BooleanField(
        help_text="`false`, wenn ein Änderungsbescheid diesen Bescheid ersetzt hat."
    )
    supersedes = serializers.IntegerField(
        source="supersedes_id", allow_null=True, help_text="Der Bescheid, den dieser ändert."
    )
    decided_at = serializers.DateTimeField(help_text="Entschieden am (ISO 8601).")
    decided_by = serializers.CharField(
        source="decided_by__full_name", help_text="Name der Person, die entschieden hat."
    )
    reasons = serializers.CharField(help_text="Begründung.")
    financing_type = serializers.CharField(help_text=_values("Finanzierungsart", FinancingType))
    rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text='Fördersatz als Anteil der zuwendungsfähigen Ausgaben, z. B. "0.5000" für '
        "50 %; `null` ohne Fördersatz.",
    )
    yearly_cap = serializers.DecimalField(
        **MONEY,
        allow_null=True,
        help_text='Höchstbetrag je Jahr in Euro als Dezimalzeichenkette, z. B. "29958.00"; '
        "`null` ohne Höchstbetrag.",
    )
    period_start = serializers.DateField(allow_null=True, help_text="Bewilligungszeitraum von.")
    period_end = serializers.DateField(allow_null=True, help_text="Bewilligungszeitraum bis.")
    forwarding_allowed = serializers.BooleanField(help_text="Weiterleitung an Dritte zulässig.")
    remedy_waived_at = serializers.DateTimeField(
        allow_null=True, help_text="Rechtsbehelfsverzicht erklärt am."
    )
    final_on = serializers.DateField(
        allow_null=True,
        help_text="Bestandskräftig ab (ohne Verzicht: Bekanntgabe + 4 Tage + 1 Monat).",
    )
    document = serializers.IntegerField(
        source="document__id", allow_null=True, help_text="Kennung des Bescheid-PDFs."
    )
    document_status = serializers.CharField(
        source="document__status",
        allow_null=True,
        help_text=_values("Stand des PDFs", DocumentStatus),
    )
    years = DecisionYearSerializer(many=True, help_text="Zuwendung je Förderjahr.")
    total_grant = serializers.DecimalField(**MONEY, help_text="Summe der Zuwendung.")


ROW_PATHS = [
    field.source
    for name, field in DecisionRowSerializer().fields.items()
    if name not in ("years", "total_grant")
]


class GrantsField(serializers.DictField):
    child = serializers.DecimalField(**MONEY, min_value=Decimal("0"))

    def to_internal_value(self, data):
        grants = super().to_internal_value(data)
        try:
            return {int(year): amount for year, amount in grants.items()}
        except ValueError:
            raise serializers.ValidationError(
                'Bitte die Förderjahre als Schlüssel angeben, z. B. {"2027": "29958.00"}.'
            ) from None


@extend_schema_field({"type": "string"})
class DecidableKindField(serializers.ChoiceField):
    """A string in the schema, its values in the help text: an enum component named after the
    field ("kind") would collide with other endpoints' sets of that name."""

    def __init__(self, **kwargs):
        super().__init__(choices=DECIDABLE_KINDS, **kwargs)


class DecideSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, help_text="Kennung des Antrags.")
    kind = DecidableKindField(
        help_text="`approval` (in voller Höhe), `partial_approval` oder `rejection`."
    )
    grants = GrantsField(
        required=False,
        help_text="Nur bei Teilbewilligung: Zuwendung je Förderjahr, z. B. "
        '`{"2027": "20000.00", "2028": "0"}`.',
    )
    reasons = serializers.CharField(
        required=False, allow_blank=True, help_text="Pflicht bei Teilbewilligung und Ablehnung."
    )
    forwarding_allowed = serializers.BooleanField(
        default=False, help_text="Weiterleitung an Dritte zulassen; ohne Angabe `false`."
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Version des Antrags, die Sie geprüft haben (optimistische Sperre).",
    )


class AmendSerializer(serializers.Serializer):
    grants = GrantsField(help_text="Neue Zuwendung je Förderjahr.")
    reasons = serializers.CharField(help_text="Begründung der Änderung.")


class DocumentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Dokuments.")
    kind = serializers.CharField(help_text=_values("Art des Dokuments", DocumentKind))
    decision = serializers.IntegerField(
        source="decision_id",
        allow_null=True,
        help_text="Kennung des Bescheides, zu dem das PDF gehört; `null` beim Förderbericht.",
    )
    municipality_ags = serializers.CharField(
        source="municipality__ags", help_text="AGS der Kommune, z. B. 05766."
    )
    batch = serializers.IntegerField(
        source="batch_id",
        allow_null=True,
        help_text="Kennung des Sammelauftrags, mit dem das Dokument bestellt wurde; sonst `null`.",
    )
    status = serializers.CharField(help_text=_values("Stand", DocumentStatus))
    progress = serializers.IntegerField(help_text="Fortschritt in Prozent.")
    error = serializers.CharField(help_text="Warum die Erstellung fehlschlug.")
    requested_at = serializers.DateTimeField(help_text="Bestellt am (ISO 8601).")
    finished_at = serializers.DateTimeField(
        allow_null=True, help_text="Fertig oder fehlgeschlagen am (ISO 8601); sonst `null`."
    )
    download = serializers.URLField(
        allow_null=True, help_text="Adresse des PDFs, sobald es fertig ist."
    )


DOCUMENT_PATHS = [
    field.source for name, field in DocumentRowSerializer().fields.items() if name != "download"
]
