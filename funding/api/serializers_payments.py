"""Requests and responses of the payment and forwarding endpoints. Money as decimal strings,
dates ISO 8601. List rows come from values() querysets whose columns the row serializers name
(`value_paths`), so nothing here queries per row."""

from decimal import Decimal

from rest_framework import serializers

from funding.models import PaymentStatus

MONEY = {"max_digits": 12, "decimal_places": 2}
YEAR = {"min_value": 2000, "max_value": 2100}
AMOUNT_HELP = 'Betrag in Euro als Dezimalzeichenkette, z. B. "29958.00".'
AGS_HELP = "AGS der Kommune, z. B. 05766."


def value_paths(serializer_class) -> list[str]:
    """The values() columns a row serializer reads."""
    return [field.source for field in serializer_class().fields.values()]


class PaymentRequestRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Mittelabrufs.")
    application = serializers.IntegerField(
        source="application_id", help_text="Kennung des Antrags."
    )
    application_number = serializers.CharField(
        source="application__number", help_text="Antragsnummer."
    )
    municipality_ags = serializers.CharField(
        source="application__municipality__ags", help_text=AGS_HELP
    )
    year = serializers.IntegerField(help_text="Förderjahr.")
    amount = serializers.DecimalField(**MONEY, help_text=AMOUNT_HELP)
    needed_on = serializers.DateField(help_text="Mittel benötigt ab.")
    purpose = serializers.CharField(help_text="Verwendung.")
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    requested_at = serializers.DateTimeField(help_text="Abgerufen am (ISO 8601).")
    checked_by = serializers.CharField(
        source="checked_by__full_name",
        allow_null=True,
        help_text="Wer die sachliche Richtigkeit bestätigte.",
    )
    checked_at = serializers.DateTimeField(
        allow_null=True, help_text="Sachliche Richtigkeit bestätigt am (ISO 8601); sonst `null`."
    )
    approved_by = serializers.CharField(
        source="approved_by__full_name", allow_null=True, help_text="Wer die Zahlung anordnete."
    )
    approved_at = serializers.DateTimeField(
        allow_null=True, help_text="Zur Zahlung angeordnet am (ISO 8601); sonst `null`."
    )
    rejection_reason = serializers.CharField(
        help_text="Ablehnungsgrund; leer, solange nicht abgelehnt."
    )
    booking_reference = serializers.CharField(
        source="payment__booking_reference",
        allow_null=True,
        help_text="Buchungszeichen der Auszahlung; `null` vor der Auszahlung.",
    )
    paid_on = serializers.DateField(
        source="payment__paid_on",
        allow_null=True,
        help_text="Ausgezahlt am (ISO 8601, JJJJ-MM-TT); `null` vor der Auszahlung.",
    )


class PaymentRequestCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    year = serializers.IntegerField(**YEAR, help_text="Förderjahr der Bewilligung.")
    amount = serializers.DecimalField(
        **MONEY, min_value=Decimal("0.01"), help_text=f"Abgerufener {AMOUNT_HELP}"
    )
    needed_on = serializers.DateField(help_text="Mittel benötigt ab (im Abrufzeitraum).")
    purpose = serializers.CharField(max_length=300, help_text="Verwendung.")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Begründung; die Kommune erhält sie per E-Mail.")


class PaymentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung der Auszahlung.")
    request = serializers.IntegerField(source="request_id", help_text="Kennung des Mittelabrufs.")
    application = serializers.IntegerField(
        source="request__application_id", help_text="Kennung des Antrags."
    )
    municipality_ags = serializers.CharField(
        source="request__application__municipality__ags", help_text=AGS_HELP
    )
    year = serializers.IntegerField(source="request__year", help_text="Förderjahr.")
    amount = serializers.DecimalField(**MONEY, help_text=f"Ausgezahlter {AMOUNT_HELP}")
    paid_on = serializers.DateField(help_text="Ausgezahlt am (ISO 8601, JJJJ-MM-TT).")
    booking_reference = serializers.CharField(help_text="Buchungszeichen der Kasse.")


class ForwardingCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    year = serializers.IntegerField(**YEAR, help_text="Förderjahr der Bewilligung.")
    recipient_name = serializers.CharField(
        max_length=200, help_text="Name des Dritten, der die Mittel erhält."
    )
    recipient_address = serializers.CharField(help_text="Anschrift des Empfängers.")
    legal_form = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        help_text="Rechtsform des Empfängers, z. B. „eingetragener Verein“.",
    )
    amount = serializers.DecimalField(
        **MONEY, min_value=Decimal("0.01"), help_text=f"Weitergeleiteter {AMOUNT_HELP}"
    )
    contract_date = serializers.DateField(help_text="Datum des Weiterleitungsvertrags.")


class ForwardingRowSerializer(ForwardingCreateSerializer):
    id = serializers.IntegerField(help_text="Kennung der Weiterleitung.")
    application = serializers.IntegerField(
        source="application_id", help_text="Kennung des Antrags."
    )
