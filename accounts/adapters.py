import base64
import hashlib
from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

from accounts.tasks import enqueue_mail

SITE_NAME = "KeKiz-Portal"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are created by the programme administration, never by self-registration.
        return False

    def format_email_subject(self, subject: str) -> str:
        # Without django.contrib.sites allauth would prefix the bare host name.
        return f"[{SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        # Rendering needs the request (links, host) and stays here; the slow part, talking to
        # the SMTP server, goes to the worker.
        request = context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": SimpleNamespace(name=SITE_NAME, domain=request.get_host()),
        }
        ctx.update(context_data)
        enqueue_mail(self.render_mail(template_prefix, email, ctx))


def _fernet_key(secret: str) -> bytes:
    # A key of its own for the TOTP secrets, derived so that it never equals SECRET_KEY itself.
    return base64.urlsafe_b64encode(hashlib.sha256(f"kekiz-mfa:{secret}".encode()).digest())


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery seeds are stored encrypted, not in the clear.

    The key follows SECRET_KEY; after a rotation the old key stays in SECRET_KEY_FALLBACKS,
    so existing authenticators keep working and are read with the fallback.
    """

    def _fernet(self) -> MultiFernet:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return MultiFernet([Fernet(_fernet_key(key)) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()
