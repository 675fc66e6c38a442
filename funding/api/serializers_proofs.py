"""Requests and responses of the proof-of-use endpoints. Money as decimal strings, dates ISO
8601. Responses are built from values() rows (funding.api.proofs.proof_rows), so nothing here
queries per row."""

from rest_framework import serializers

from funding.models import CostCategory, ProofStatus

MONEY = {"max_digits": 12, "decimal_places": 2}
EURO = 'in Euro als Dezimalzeichenkette, z. B. "29958.00"'


def checked_amount(label: str) -> serializers.DecimalField:
    """A figure the check of the proof sets."""
    return serializers.DecimalField(
        **MONEY, allow_null=True, help_text=f"{label} {EURO}; `null` vor der Prüfung."
    )


class ProofLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung der Position.")
    category = serializers.ChoiceField(choices=CostCategory.choices)
    description = serializers.CharField(help_text="Bezeichnung der Position.")
    planned = serializers.DecimalField(**MONEY, help_text="Soll laut Finanzierungsplan.")
    actual = serializers.DecimalField(**MONEY, help_text="Ist laut Verwendungsnachweis.")


class ProofSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Verwendungsnachweises.")
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    application_number = serializers.CharField(help_text="Antragsnummer.")
    municipality = serializers.CharField(help_text="AGS der Kommune.")
    municipality_name = serializers.CharField(help_text="Name der Kommune.")
    year = serializers.IntegerField(help_text="Förderjahr.")
    status = serializers.ChoiceField(choices=ProofStatus.choices)
    due_on = serializers.DateField(help_text="Fällig am.")
    narrative = serializers.CharField(help_text="Sachbericht.")
    actual_own_funds = serializers.DecimalField(
        **MONEY, help_text=f"Eingesetzte Eigenmittel (Ist) {EURO}."
    )
    actual_third_party_funds = serializers.DecimalField(
        **MONEY, help_text=f"Eingesetzte Drittmittel (Ist) {EURO}."
    )
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text="Eingereicht am (ISO 8601); `null` im Entwurf."
    )
    checked_at = serializers.DateTimeField(
        allow_null=True, help_text="Geprüft am (ISO 8601); `null` vor der Prüfung."
    )
    check_note = serializers.CharField(help_text="Prüfvermerk (nach der Prüfung).")
    final_eligible_costs = checked_amount("Anerkannte zuwendungsfähige Ausgaben")
    final_grant = checked_amount("Endgültige Zuwendung")
    clawback_amount = checked_amount("Zurückgeforderter Betrag")
    clawback_interest = checked_amount("Zinsen nach § 49a VwVfG auf die Rückforderung")
    interest_until = serializers.DateField(
        allow_null=True,
        help_text="Zinsen berechnet bis (ISO 8601, JJJJ-MM-TT); `null` vor der Prüfung.",
    )
    version = serializers.IntegerField(
        help_text="Stand für Änderungen: bei PATCH und submit mitschicken."
    )
    lines = ProofLineSerializer(many=True, help_text="Positionen mit Soll und Ist.")


class ProofQuerySerializer(serializers.Serializer):
    application = serializers.IntegerField(required=False, help_text="Kennung des Antrags.")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = serializers.ChoiceField(required=False, choices=ProofStatus.choices)


class ProofOpenSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Förderjahr.")


class LineActualSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung der Position (aus `lines` des Nachweises).")
    actual = serializers.DecimalField(
        **MONEY, min_value=0, help_text=f"Ausgaben der Position (Ist) {EURO}."
    )


class ProofUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Der zuletzt gelesene Stand.")
    narrative = serializers.CharField(required=False, allow_blank=True, help_text="Sachbericht.")
    actual_own_funds = serializers.DecimalField(
        **MONEY, min_value=0, required=False, help_text=f"Eingesetzte Eigenmittel (Ist) {EURO}."
    )
    actual_third_party_funds = serializers.DecimalField(
        **MONEY, min_value=0, required=False, help_text=f"Eingesetzte Drittmittel (Ist) {EURO}."
    )
    lines = LineActualSerializer(
        many=True,
        required=False,
        help_text="Ist-Beträge einzelner Positionen; nicht genannte bleiben unverändert.",
    )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Der zuletzt gelesene Stand.")


class CheckSerializer(serializers.Serializer):
    check_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Prüfvermerk (Pflicht außer bei der Vorschau).",
    )
    recognised_eligible = serializers.DecimalField(
        **MONEY,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Anerkannte zuwendungsfähige Ausgaben; ohne Angabe die nachgewiesenen.",
    )
    interest_until = serializers.DateField(
        required=False, help_text="Zinsen nach § 49a VwVfG bis zu diesem Tag; Standard: heute."
    )
    preview = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Nur berechnen, nichts speichern (Vorschau vor dem Bestätigen).",
    )


class CheckPreviewSerializer(serializers.Serializer):
    actual_eligible = serializers.DecimalField(**MONEY)
    recognised_eligible = serializers.DecimalField(**MONEY)
    decided_grant = serializers.DecimalField(**MONEY)
    final_grant = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    clawback = serializers.DecimalField(**MONEY)
    interest = serializers.DecimalField(**MONEY)
    interest_until = serializers.DateField()
    base_rate_percent = serializers.DecimalField(max_digits=6, decimal_places=2)


class ReturnSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="Was die Kommune nachbessern soll.")
