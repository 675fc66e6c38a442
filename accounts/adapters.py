from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

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
