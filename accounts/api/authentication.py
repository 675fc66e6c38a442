from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, StateRole, User


@cache
def _token_query() -> str:
    """Token, user and the user's programme roles in one statement, written out once: building
    it with the ORM on every request cost more than running it (about 2 ms a request)."""
    quote = connection.ops.quote_name
    token_fields = [f"t.{quote(f.column)}" for f in ApiToken._meta.concrete_fields]
    user_fields = [f"u.{quote(f.column)}" for f in User._meta.concrete_fields]
    return f"""
        SELECT {", ".join(token_fields)}, {", ".join(user_fields)},
               ARRAY(SELECT r.{quote("role")} FROM {quote(StateRole._meta.db_table)} r
                      WHERE r.{quote("user_id")} = u.{quote("id")})
          FROM {quote(ApiToken._meta.db_table)} t
          JOIN {quote(User._meta.db_table)} u ON u.{quote("id")} = t.{quote("user_id")}
         WHERE t.{quote("prefix")} = %s
           AND t.{quote("revoked_at")} IS NULL
           AND u.{quote("is_active")}
           AND (t.{quote("expires_at")} IS NULL OR t.{quote("expires_at")} > %s)
    """  # noqa: S608 – only column and table names from the models, values as parameters


def _active_token(prefix: str) -> ApiToken | None:
    """The active token with this prefix, its user attached, the user's roles read along; the
    same rows as ApiToken.objects.active() (tests/api/test_access.py holds them to it:
    revoked, expired and deactivated users answer 401)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_query(), [prefix, timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return None
    token_fields = [f.attname for f in ApiToken._meta.concrete_fields]
    user_fields = [f.attname for f in User._meta.concrete_fields]
    split = len(token_fields)
    token = ApiToken.from_db("default", token_fields, row[:split])
    user = User.from_db("default", user_fields, row[split : split + len(user_fields)])
    # Nearly every endpoint asks for the programme roles (User.programme_roles, cached per
    # request): read with the token, they cost no query of their own.
    user.programme_roles = frozenset(row[-1])
    token.user = user
    return token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with the portal's hashed, named, revocable tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = _active_token(key[: ApiToken.PREFIX_LENGTH])
        if token is None or token.key_hash != ApiToken.hash_key(key):
            raise exceptions.AuthenticationFailed(_("Ungültiges oder widerrufenes Token."))
        # One write per minute at most: enough to show "last used", cheap on busy clients.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
