"""Requests and responses of the administration and coverage endpoints. Money as decimal
strings; writes are checked again by funding.services.administration."""

from rest_framework import serializers

from funding.models import Budget, Call, CostCategory, FundingRule
from funding.services.administration import CALL_FIELDS, RULE_FIELDS
from municipalities.models import Programme

MONEY = {"max_digits": 12, "decimal_places": 2}
# Read-only columns every administration record has; the rest the model's labels describe.
RECORD_FIELDS = {
    "id": {"help_text": "Kennung des Eintrags."},
    "updated_at": {"help_text": "Zuletzt geändert am (ISO 8601)."},
}


def reason_field() -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Grund der Änderung für das Änderungsprotokoll; wird nicht zurückgegeben.",
    )


class RuleSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Programme.objects.all(),
        help_text="Kurzkennung (slug) des Programms; nach dem Anlegen nicht mehr änderbar.",
    )
    eligible_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=CostCategory.choices),
        allow_empty=False,
        help_text="Zuwendungsfähige Ausgabearten, mindestens eine.",
    )
    reason = reason_field()

    class Meta:
        model = FundingRule
        fields = ("id", "programme", *RULE_FIELDS, "updated_at", "reason")
        read_only_fields = ("updated_at",)
        extra_kwargs = RECORD_FIELDS
        # Uniqueness is the service's check, with a message that says what to do.
        validators: list = []


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Programme.objects.all(),
        help_text="Kurzkennung (slug) des Programms; nach dem Anlegen nicht mehr änderbar.",
    )
    is_open = serializers.BooleanField(read_only=True, help_text="Heute offen für Anträge.")
    reason = reason_field()

    class Meta:
        model = Call
        fields = ("id", "programme", *CALL_FIELDS, "is_open", "updated_at", "reason")
        read_only_fields = ("updated_at",)
        extra_kwargs = RECORD_FIELDS
        validators: list = []


class BudgetSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Programme.objects.all(),
        help_text="Kurzkennung (slug) des Programms.",
    )
    is_secured = serializers.BooleanField(
        read_only=True, help_text="Veranschlagt oder durch Verpflichtungsermächtigung gedeckt."
    )
    reason = reason_field()

    class Meta:
        model = Budget
        fields = (
            "id",
            "programme",
            "fiscal_year",
            "source",
            "status",
            "amount",
            "reference",
            "is_secured",
            "updated_at",
            "reason",
        )
        read_only_fields = ("updated_at",)
        extra_kwargs = RECORD_FIELDS
        validators: list = []


class YearCoverageSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="Kurzkennung (slug) des Programms.")
    year = serializers.IntegerField(help_text="Haushalts- und Förderjahr.")
    secured = serializers.DecimalField(**MONEY, help_text="Gesicherte Mittel insgesamt.")
    secured_by_source = serializers.DictField(
        child=serializers.DecimalField(**MONEY), help_text="Gesicherte Mittel je Herkunft."
    )
    planned = serializers.DecimalField(**MONEY, help_text="Nur geplante, nicht gesicherte Mittel.")
    committed = serializers.DecimalField(**MONEY, help_text="Bewilligt durch geltende Bescheide.")
    free = serializers.DecimalField(
        **MONEY,
        help_text="Gesicherte Mittel abzüglich der Bewilligungen; negativ, wenn diese den "
        "Rahmen übersteigen.",
    )
    covered = serializers.BooleanField(help_text="Die Bewilligungen liegen im gesicherten Rahmen.")


class PromiseSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="Kurzname des Programms.")
    file_reference = serializers.CharField(help_text="Aktenzeichen des geltenden Bescheids.")
    year = serializers.IntegerField(help_text="Förderjahr.")
    grant = serializers.DecimalField(**MONEY, help_text="Bewilligte Zuwendung des Jahres.")
    financed = serializers.BooleanField(
        help_text="Gesicherte Mittel des Jahres decken alle Bewilligungen des Jahres."
    )
