"""Input of the application endpoints (issue 3 §3). Output is built from values() rows in
funding.api.applications, so long lists pay no per-row serializer cost."""

from decimal import Decimal

from rest_framework import serializers

from funding.models import ApplicationStatus, CostCategory

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
VERSION_HELP = (
    "Versionsstand für die Sperre gegen gleichzeitige Änderungen: der zuletzt gelesene Wert."
)


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
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    purpose = serializers.CharField(
        required=False, allow_blank=True, help_text="Vorhaben und Zuwendungszweck."
    )
    contact_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Name der Ansprechperson."
    )
    contact_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="E-Mail-Adresse der Ansprechperson."
    )
    forwarding_requested = serializers.BooleanField(
        required=False, help_text="Weiterleitung der Zuwendung an einen Dritten beabsichtigt."
    )
    forwarding_recipient = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Empfänger der Weiterleitung, falls beabsichtigt.",
    )


class CostLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=CostCategory.choices)
    description = serializers.CharField(
        max_length=200, help_text="Bezeichnung der Position, z. B. „Koordinationsstelle“."
    )
    pay_grade = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Entgeltgruppe bei Personalausgaben, z. B. „E 11 TVöD“.",
    )
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=10,
        required=False,
        allow_null=True,
        help_text='Stellenanteil in Vollzeitäquivalenten, z. B. "0.50" für eine halbe Stelle.',
    )
    months = serializers.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        allow_null=True,
        help_text="Beschäftigungsmonate im Förderjahr (1–12).",
    )
    monthly_cost = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        help_text="Arbeitgeberkosten je Monat für eine Vollzeitstelle in Euro als "
        'Dezimalzeichenkette, z. B. "4993.00".',
    )
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
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    own_funds = serializers.DecimalField(
        **MONEY,
        help_text='Eigenmittel des Jahres in Euro als Dezimalzeichenkette, z. B. "10000.00".',
    )
    third_party_funds = serializers.DecimalField(
        **MONEY,
        default=0,
        help_text='Drittmittel des Jahres in Euro als Dezimalzeichenkette; ohne Angabe "0".',
    )
    third_party_note = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        allow_blank=True,
        help_text="Von wem die Drittmittel kommen.",
    )
    lines = CostLineSerializer(many=True, help_text="Ersetzt alle Positionen des Jahres.")


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Grund der Rücknahme.")
