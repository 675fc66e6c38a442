"""Input of the application endpoints (issue 3 §3). Output is built from values() rows in
funding.api.applications, so long lists pay no per-row serializer cost."""

from decimal import Decimal

from rest_framework import serializers

from funding.models import ApplicationStatus, CostCategory

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class ListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, required=False, help_text="Status des Antrags."
    )
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text="Förderjahr, z. B. 2027."
    )
    call = serializers.IntegerField(min_value=1, required=False, help_text="Kennung des Aufrufs.")
    municipality = serializers.CharField(
        max_length=8, required=False, help_text="AGS der Kommune, z. B. 05766."
    )


class CreateSerializer(serializers.Serializer):
    call = serializers.IntegerField(min_value=1, help_text="Kennung des Förderaufrufs.")
    municipality = serializers.CharField(
        max_length=8, help_text="AGS der antragstellenden Kommune."
    )


class UpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="Die Version, die Sie zuletzt gelesen haben (optimistische Sperre)."
    )
    purpose = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    forwarding_requested = serializers.BooleanField(required=False)
    forwarding_recipient = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CostLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=CostCategory.choices)
    description = serializers.CharField(max_length=200)
    pay_grade = serializers.CharField(max_length=20, required=False, allow_blank=True)
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=10,
        required=False,
        allow_null=True,
    )
    months = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    monthly_cost = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    amount = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        help_text="Bei Personalausgaben mit monthly_cost, fte und months berechnet.",
    )

    def validate(self, attrs):
        priced = attrs["category"] == CostCategory.PERSONNEL and all(
            attrs.get(key) is not None for key in ("monthly_cost", "fte", "months")
        )
        if not priced and attrs.get("amount") is None:
            raise serializers.ValidationError(
                {
                    "amount": "Bitte einen Betrag angeben – oder bei Personalausgaben "
                    "monthly_cost, fte und months."
                }
            )
        return attrs


class PlanSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    own_funds = serializers.DecimalField(**MONEY)
    third_party_funds = serializers.DecimalField(**MONEY, default=0)
    third_party_note = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    lines = CostLineSerializer(many=True, help_text="Ersetzt alle Positionen des Jahres.")


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Grund der Rücknahme.")
