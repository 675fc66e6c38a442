"""The current TOTP code of a demo account, so a newcomer can log in without a phone app.

It only ever answers for accounts that use the published demo secret: a real user's secret is
never read out.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from kekiz_portal.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Zeigt den aktuellen 6-stelligen Zwei-Faktor-Code eines Demo-Kontos."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse des Demo-Kontos")

    def handle(self, *args, email: str, **options):
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email.strip(), type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                f"{email} hat keine Zwei-Faktor-Anmeldung. Demo-Konten mit TOTP legt "
                "`python manage.py seed_demo` an (z. B. pruefung@kekiz.example)."
            )
        if decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} ist kein Demo-Konto; sein Code wird nicht angezeigt.")
        now = time.time()
        period = mfa_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period))
        self.stdout.write(code)
        # Each code works once; after a login wait for the next one.
        self.stderr.write(f"gültig noch {period - int(now) % period} s, jeder Code nur einmal")
