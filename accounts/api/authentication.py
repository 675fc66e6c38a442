from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, StateRole


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with the portal's hashed, named, revocable tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        prefix = key[: ApiToken.PREFIX_LENGTH]
        roles = StateRole.objects.filter(user=OuterRef("user_id")).values("role")
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .annotate(user_roles=ArraySubquery(roles))
            .filter(prefix=prefix)
            .first()
        )
        if token is None or token.key_hash != ApiToken.hash_key(key):
            raise exceptions.AuthenticationFailed(_("Ungültiges oder widerrufenes Token."))
        # Nearly every endpoint asks for the programme roles (User.programme_roles, cached per
        # request): read with the token, they cost no query of their own.
        token.user.programme_roles = frozenset(token.user_roles)
        # One write per minute at most: enough to show "last used", cheap on busy clients.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
