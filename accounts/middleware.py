from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.api.errors import json_error
from accounts.roles import TWO_FACTOR_REQUIRED_ROLES

# Where a state-office user without TOTP may still go: set it up (allauth asks for the password
# again when the login is older than a few minutes), switch language, or leave. Everything else,
# the admin included, waits until TOTP is active.
_ALLOWED_PREFIXES = (
    "/konto/2fa/",
    "/konto/reauthenticate/",
    "/konto/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class RequireTwoFactorForStateOfficeMiddleware:
    """State-office users act on money and decisions: no page opens until TOTP is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            # A superuser can do all a state admin can, so the same rule holds.
            and (user.is_superuser or user.has_programme_role(*TWO_FACTOR_REQUIRED_ROLES))
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            if request.path.startswith("/api/"):
                return json_error(
                    "two_factor_required",
                    _("Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein."),
                    403,
                )
            messages.warning(
                request,
                _(
                    "Für Ihre Rolle in der Landeskoordinierungsstelle ist die Zwei-Faktor-"
                    "Anmeldung Pflicht. Bitte richten Sie sie jetzt ein."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PortalLocaleMiddleware(LocaleMiddleware):
    """German unless the person chose another language with the switch.

    The portal's working language is German (the programme's documents, decisions and names
    are), so a browser set to English must not turn a German administration page English by
    itself; the language switch sets the cookie this middleware honours.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
