"""Writes on accounts: API tokens. Views, the admin and the API call these, never the ORM."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from accounts.roles import Role


def _may_manage_tokens_of(actor: User, user: User) -> bool:
    # The programme administration may revoke a leaked token of anyone; nobody else may
    # touch a token that is not their own.
    return actor.is_active and (
        actor.pk == user.pk or actor.is_superuser or actor.has_programme_role(Role.STATE_ADMIN)
    )


@transaction.atomic
def create_api_token(
    *,
    user: User,
    name: str,
    read_only: bool = True,
    expires_at: datetime | None = None,
    actor: User,
    key: str | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret key, which is never stored and so can be
    shown only now. `key` exists for the demo seed's well-known key; real keys are random."""
    if actor.pk != user.pk and not _may_manage_tokens_of(actor, user):
        raise PermissionDenied(_("Sie dürfen nur eigene Tokens anlegen."))
    if not user.is_active:
        raise ValidationError(_("Für ein deaktiviertes Konto kann kein Token angelegt werden."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie dem Token eine Bezeichnung.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Das Ablaufdatum muss in der Zukunft liegen.")})
    if key is None:
        # The prefix is the lookup key, so it must be unique; with 48 random bits a clash is
        # rare, but a clash would make the new token unusable, so draw again.
        key = ApiToken.generate_key()
        while ApiToken.objects.filter(prefix=key[: ApiToken.PREFIX_LENGTH]).exists():
            key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        read_only=read_only,
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token_id: int, actor: User) -> ApiToken:
    """Revoke a token for good. Revoking twice keeps the first date (idempotent)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
    if not _may_manage_tokens_of(actor, token.user):
        raise PermissionDenied(_("Sie dürfen nur eigene Tokens widerrufen."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
