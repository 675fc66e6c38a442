"""Requests and responses of the payment and forwarding endpoints. Money as decimal strings,
dates ISO 8601. List rows come from values() querysets whose columns the row serializers name
(`value_paths`), so nothing here queries per row."""

from decimal import Decimal

from rest_framework import serializers

from funding.models import PaymentStatus

MONEY = {"max_digits": 12, "decimal_places": 2}
YEAR = {"min_value": 2000, "max_value": 2100}


def value_paths(serializer_class) -> list[str]:
    """The values() columns a row serializer reads."""
    return [field.source for field in serializer_class().fields.values()]


class PaymentRequestRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_number = serializers.CharField(source="application__number")
    municipality_ags = serializers.CharField(source="application__municipality__ags")
    year = serializers.IntegerField(help_text="Förderjahr.")
    amount = serializers.DecimalField(**MONEY)
    needed_on = serializers.DateField(help_text="Mittel benötigt ab.")
    purpose = serializers.CharField(help_text="Verwendung.")
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    requested_at = serializers.DateTimeField()
    checked_by = serializers.CharField(
        source="checked_by__full_name",
        allow_null=True,
        help_text="Wer die sachliche Richtigkeit bestätigte.",
    )
    checked_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(
        source="approved_by__full_name", allow_null=True, help_text="Wer die Zahlung anordnete."
    )
    approved_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    booking_reference = serializers.CharField(source="payment__booking_reference", allow_null=True)
    paid_on = serializers.DateField(source="payment__paid_on", allow_null=True)


class PaymentRequestCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    year = serializers.IntegerField(**YEAR, help_text="Förderjahr der Bewilligung.")
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    needed_on = serializers.DateField(help_text="Mittel benötigt ab (im Abrufzeitraum).")
    purpose = serializers.CharField(max_length=300, help_text="Verwendung.")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Begründung; die Kommune erhält sie per E-Mail.")


class PaymentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id", help_text="Kennung des Mittelabrufs.")
    application = serializers.IntegerField(source="request__application_id")
    municipality_ags = serializers.CharField(source="request__application__municipality__ags")
    year = serializers.IntegerField(source="request__year")
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField()
    booking_reference = serializers.CharField()


class ForwardingCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    year = serializers.IntegerField(**YEAR)
    recipient_name = serializers.CharField(max_length=200)
    recipient_address = serializers.CharField()
    legal_form = serializers.CharField(max_length=100, required=False, default="")
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    contract_date = serializers.DateField(help_text="Datum des Weiterleitungsvertrags.")


class ForwardingRowSerializer(ForwardingCreateSerializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
