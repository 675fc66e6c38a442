"""OpenAPI pieces shared by all endpoints: the error body and the error responses."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stabiler Fehlercode für Programme, z. B. `not_found`, `invalid`, "
        "`not_authenticated`, `permission_denied`, `method_not_allowed`, `throttled`, "
        "`refused`, `stale`."
    )
    message = serializers.CharField(help_text="Meldung in verständlichem Deutsch.")
    details = serializers.DictField(
        required=False,
        help_text="Feldfehler als `{feld: [meldung, …]}`, `retry_after` (Sekunden) oder bei "
        "`refused` die Gründe als `reasons` (Liste) und gegebenenfalls `reason_code`.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": "Ungültige Anfrage, z. B. ein unbekannter Filterwert oder ein Datum im falschen "
    "Format; `details` nennt die Felder.",
    "401": "Nicht angemeldet: Token fehlt, ist ungültig, abgelaufen oder widerrufen.",
    "403": "Keine Berechtigung, z. B. ein Lese-Token bei einer schreibenden Anfrage.",
    "404": "Nicht gefunden – Objekte außerhalb Ihrer Rechte gelten als nicht vorhanden.",
    "409": "Konflikt mit dem Stand des Objekts: `refused`, wenn die Anfrage gültig ist, Stand "
    "oder Förderregeln die Aktion aber nicht zulassen (`details.reasons` nennt jeden Grund, "
    "`details.reason_code` gegebenenfalls einen Code); `stale`, wenn das Objekt inzwischen "
    "geändert wurde – neu laden und erneut senden.",
    "429": "Zu viele Anfragen; der Header `Retry-After` nennt die Wartezeit in Sekunden.",
}


def error_response(status_code: int | str, description: str | None = None) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer, description=description or ERROR_DESCRIPTIONS[str(status_code)]
    )


class PortalAutoSchema(AutoSchema):
    """Adds the error responses every endpoint can give, so clients see the one error format
    without each view repeating it. Responses a view declares itself take precedence."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(code), code, media_types=["application/json"]
                )
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        if self.method not in ("GET", "HEAD", "OPTIONS") or self._is_list_view():
            codes.append("400")
        # A list answers 404 for a page beyond its end.
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        return codes
