"""Requests and responses of the review endpoints. Money as decimal strings, times ISO 8601.
The queue rows come prepared from funding.selectors_review (values()), so nothing here queries
per row."""

from rest_framework import serializers

from funding.api.serializers_applications import VERSION_HELP
from funding.models import ApplicationStatus, CommentVisibility, Recommendation
from funding.selectors_review import MINE, UNASSIGNED, QueueFilters
from funding.services.review import CHECKLIST
from municipalities.models import Regierungsbezirk

MONEY = {"max_digits": 12, "decimal_places": 2}
STATUS_HELP = "Status des Antrags, z. B. `submitted` oder `in_review`."


class QueueQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Nur Anträge für dieses Jahr."
    )
    status = serializers.ChoiceField(
        required=False,
        choices=ApplicationStatus.choices,
        help_text="Ohne Angabe: eingereicht, in Prüfung, Nachbesserung angefordert, Votum.",
    )
    regierungsbezirk = serializers.ChoiceField(
        required=False, choices=Regierungsbezirk.choices, help_text="Schlüssel, z. B. `057`."
    )
    call = serializers.IntegerField(required=False, help_text="Kennung des Förderaufrufs.")
    assigned = serializers.ChoiceField(
        required=False,
        choices=[MINE, UNASSIGNED],
        help_text="`mine`: mir zugewiesen; `unassigned`: noch niemandem.",
    )
    search = serializers.CharField(
        required=False, max_length=100, help_text="Teil der Antragsnummer oder des Namens."
    )
    newest_first = serializers.BooleanField(
        required=False, default=False, help_text="Neueste Einreichung zuerst."
    )

    def filters(self) -> QueueFilters:
        data = self.validated_data
        return QueueFilters(
            year=data.get("year"),
            status=data.get("status", ""),
            regierungsbezirk=data.get("regierungsbezirk", ""),
            call=data.get("call"),
            assigned=data.get("assigned", ""),
            search=data.get("search", "").strip(),
            newest_first=data["newest_first"],
        )


class QueueRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="Kennung des Antrags.")
    number = serializers.CharField(help_text="Antragsnummer.")
    status = serializers.CharField(help_text=STATUS_HELP)
    municipality = serializers.IntegerField(
        source="municipality_id", help_text="Kennung der Kommune (nicht der AGS)."
    )
    municipality_name = serializers.CharField(
        source="municipality__short_name", help_text="Kurzname der Kommune."
    )
    regierungsbezirk = serializers.CharField(
        source="municipality__regierungsbezirk",
        help_text="Schlüssel des Regierungsbezirks, z. B. `057`.",
    )
    call = serializers.IntegerField(source="call_id", help_text="Kennung des Förderaufrufs.")
    years = serializers.ListField(
        child=serializers.IntegerField(),
        source="years_applied",
        help_text="Beantragte Förderjahre, aufsteigend.",
    )
    requested_total = serializers.DecimalField(**MONEY, help_text="Summe über alle Jahre.")
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text="Zuletzt eingereicht am (ISO 8601); `null` im Entwurf."
    )
    reviewer = serializers.IntegerField(
        source="reviewer_id",
        allow_null=True,
        help_text="Kennung der prüfenden Person; `null`, solange niemand zugewiesen ist.",
    )


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Kennung des Kommentars.")
    application = serializers.IntegerField(
        source="application_id", help_text="Kennung des Antrags."
    )
    author = serializers.IntegerField(
        source="author_id", read_only=True, help_text="Kennung der verfassenden Person."
    )
    author_name = serializers.CharField(
        source="author.get_full_name", read_only=True, help_text="Name der verfassenden Person."
    )
    visibility = serializers.ChoiceField(
        choices=CommentVisibility.choices,
        required=False,
        help_text="Nur die Landeskoordinierungsstelle wählt; ohne Angabe schreibt sie intern. "
        "Kommentare der Kommune sind immer für die Landeskoordinierungsstelle sichtbar.",
    )
    text = serializers.CharField(max_length=5000, help_text="Text des Kommentars.")
    created_at = serializers.DateTimeField(read_only=True, help_text="Verfasst am (ISO 8601).")


class ChecklistSerializer(serializers.Serializer):
    checklist = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Prüfpunkte: " + ", ".join(f"`{key}` ({label})" for key, label in CHECKLIST),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Vermerk zur Prüfliste."
    )
    version = serializers.IntegerField(
        required=False, help_text="Stand des Antrags, den Sie gesehen haben."
    )


class RequestChangesSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="Was die Kommune nachbessern soll.")
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class RecommendSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    recommended_grants = serializers.DictField(
        child=serializers.DecimalField(**MONEY),
        required=False,
        default=dict,
        help_text="Bei `partial`: je Förderjahr der empfohlene Betrag, z. B. "
        '`{"2027": "25000.00"}`.',
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Begründung des Votums."
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class ReviewStateSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Kennung des Antrags.")
    status = serializers.CharField(help_text=STATUS_HELP)
    version = serializers.IntegerField(
        help_text="Versionsstand des Antrags; bei der nächsten Änderung mitschicken."
    )
    reviewer = serializers.IntegerField(
        allow_null=True,
        help_text="Kennung der prüfenden Person; `null`, solange niemand zugewiesen ist.",
    )
    checklist = serializers.DictField(
        child=serializers.BooleanField(),
        help_text='Abgehakte Prüfpunkte, z. B. `{"eligible_municipality": true}`; '
        "leer vor der Prüfung.",
    )
    checklist_note = serializers.CharField(help_text="Vermerk zur Prüfliste.")
    recommendation = serializers.CharField(
        help_text="Votum: `approve`, `partial` oder `reject`; leer, solange keines vorliegt."
    )
    recommended_grants = serializers.DictField(
        child=serializers.DecimalField(**MONEY),
        help_text='Empfohlene Zuwendung je Förderjahr in Euro, z. B. `{"2027": "25000.00"}`.',
    )
    note = serializers.CharField(help_text="Begründung des Votums.")
