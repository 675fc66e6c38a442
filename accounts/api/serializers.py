from rest_framework import serializers

from accounts.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="E-Mail-Adresse Ihres Portal-Kontos.")
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Passwort Ihres Portal-Kontos.",
    )
    name = serializers.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="Bezeichnung, an der Sie das Token später wiedererkennen, "
        "z. B. „Statistik-Abruf Ministerium“.",
    )
    read_only = serializers.BooleanField(
        default=True,
        help_text="`true` (Voreinstellung): das Token darf nur lesen. "
        "`false`: auch schreibende Anfragen sind erlaubt.",
    )

    def validate_email(self, value):
        # Accounts are stored in lower case; normalising here keeps the lockout counter on the
        # same account however the client spells the address.
        return value.strip().lower()


class TokenCreatedSerializer(serializers.ModelSerializer):
    key = serializers.CharField(
        help_text="Der geheime Schlüssel. Er wird nur dieses eine Mal angezeigt; "
        "senden Sie ihn als `Authorization: Token <schlüssel>`."
    )

    class Meta:
        model = ApiToken
        fields = ["key", "prefix", "name", "read_only", "created_at", "expires_at"]
        extra_kwargs = {
            "prefix": {"help_text": "Die ersten Zeichen des Schlüssels, zum Wiedererkennen."},
            "name": {"help_text": "Bezeichnung des Tokens."},
            "read_only": {"help_text": "Ob das Token nur lesen darf."},
            "created_at": {"help_text": "Zeitpunkt der Anlage (ISO 8601)."},
            "expires_at": {"help_text": "Ablaufzeitpunkt (ISO 8601) oder `null` für unbefristet."},
        }
