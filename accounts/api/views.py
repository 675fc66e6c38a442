"""The token endpoint: e-mail and password in, a new API token out."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts import services
from accounts.api.authentication import ApiTokenAuthentication
from accounts.api.base import PortalApiViewMixin
from accounts.api.errors import ApiError
from accounts.api.permissions import ReadOnlyTokenPermission
from accounts.api.schema import error_response
from accounts.api.serializers import TokenCreatedSerializer, TokenRequestSerializer
from accounts.roles import TWO_FACTOR_REQUIRED_ROLES

ENDPOINT_DESCRIPTION = """
Legt für Ihr Konto ein neues API-Token an und gibt den Schlüssel **einmalig** zurück; das Portal
speichert nur einen Hash. Senden Sie den Schlüssel danach als Header
`Authorization: Token <schlüssel>`.

* Anmeldung mit E-Mail-Adresse und Passwort wie im Portal. Fehlversuche zählen zusammen mit
  denen der Anmeldeseite: nach `AXES_FAILURE_LIMIT` (Voreinstellung 5) Fehlversuchen ist das
  Konto für diese Adresse gesperrt (`429`, Code `locked_out`), bis die Sperrfrist abläuft.
* Zusätzlich sind höchstens `API_THROTTLE_TOKEN_LOGIN` (Voreinstellung 10/Minute) Anfragen je
  IP-Adresse erlaubt (`429`, Code `throttled`).
* Konten mit Zwei-Faktor-Anmeldung – und alle Rollen der Landeskoordinierungsstelle, für die sie
  Pflicht ist – erhalten hier **kein** Token (`403`, Code `two_factor_required`): Ein Passwort
  allein darf die zweite Stufe nicht umgehen. Legen Sie Tokens nach der Anmeldung im Portal unter
  „Konto › API-Tokens“ an.
* `read_only` ist voreingestellt: ein Lese-Token darf keine schreibende Anfrage stellen (`403`).
  Ein mitgesendetes Lese-Token darf auch hier kein neues Token anlegen.
"""


class TokenCreateView(PortalApiViewMixin, GenericAPIView):
    serializer_class = TokenRequestSerializer
    # No login needed (the password is the credential), but a token that is sent along is
    # checked, so that a read-only token cannot mint itself a writing one.
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [ReadOnlyTokenPermission]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_login"

    @extend_schema(
        operation_id="auth_token_create",
        summary="API-Token mit E-Mail-Adresse und Passwort anlegen",
        description=ENDPOINT_DESCRIPTION,
        tags=["Authentifizierung"],
        request=TokenRequestSerializer,
        responses={
            201: OpenApiResponse(TokenCreatedSerializer, description="Token angelegt."),
            400: error_response(400, "Angaben unvollständig oder E-Mail-Adresse/Passwort falsch."),
            403: error_response(
                403,
                "Zwei-Faktor-Anmeldung aktiv oder Pflicht (`two_factor_required`), "
                "oder ein mitgesendetes Lese-Token.",
            ),
            429: error_response(
                429,
                "Zu viele Fehlversuche für dieses Konto (`locked_out`) oder zu viele "
                "Anfragen (`throttled`); `Retry-After` nennt die Wartezeit.",
            ),
        },
        examples=[
            OpenApiExample(
                "Lese-Token",
                value={
                    "email": "koordination@kommune.example",
                    "password": "…",
                    "name": "Statistik-Abruf",
                    "read_only": True,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # The DRF request (not request._request) goes to authenticate(): django-axes counts the
        # failure and marks a lockout on it, and since AxesMiddleware only looks at the Django
        # request, the lockout is answered here in the API's error format, not as an HTML page.
        user = authenticate(request=request, email=data["email"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise _locked_out()
            raise ApiError(
                _("E-Mail-Adresse oder Passwort ist falsch."),
                code="invalid_credentials",
                status_code=status.HTTP_400_BAD_REQUEST,
            )
        if _needs_second_factor(user):
            raise ApiError(
                _two_factor_message(),
                code="two_factor_required",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        try:
            token, key = services.create_api_token(
                user=user, name=data["name"], read_only=data["read_only"], actor=user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        # A token by password is a login: axes clears the failure count and logs the access,
        # exactly as after a login on the web page.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token.key = key
        return Response(
            TokenCreatedSerializer(token).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )


def _needs_second_factor(user) -> bool:
    return (
        user.has_programme_role(*TWO_FACTOR_REQUIRED_ROLES)
        or Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def _two_factor_message() -> str:
    message = _(
        "Für Ihr Konto gilt die Zwei-Faktor-Anmeldung, deshalb gibt es hier kein Token gegen "
        "das Passwort allein. Bitte melden Sie sich im Portal an und legen Sie das Token "
        "unter „Konto › API-Tokens“ an."
    )
    try:
        return f"{message} ({settings.PORTAL_BASE_URL.rstrip('/')}{reverse('account_tokens')})"
    except NoReverseMatch:
        return message


def _locked_out() -> ApiError:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ApiError(
        _(
            "Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung für dieses Konto ist "
            "gesperrt; bitte versuchen Sie es in %(minutes)d Minuten erneut."
        )
        % {"minutes": minutes},
        code="locked_out",
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))},
    )
