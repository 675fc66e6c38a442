from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with the portal's hashed, named, revocable tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        prefix = key[: ApiToken.PREFIX_LENGTH]
        token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
        if token is None or token.key_hash != ApiToken.hash_key(key):
            raise exceptions.AuthenticationFailed(_("Ungültiges oder widerrufenes Token."))
        # One write per minute at most: enough to show "last used", cheap on busy clients.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
