import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROGRAMME_WIDE_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Eine E-Mail-Adresse ist erforderlich.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address; roles come from StateRole and Memberships."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    full_name = models.CharField(_("Name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("angelegt am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def programme_roles(self) -> frozenset[str]:
        """The programme-wide roles (state office, evaluation), read once per request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.state_roles.values_list("role", flat=True))

    def has_programme_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.programme_roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """Django admin is the state admins' tool (and the superuser's)."""
        return self.is_active and (self.is_superuser or Role.STATE_ADMIN in self.programme_roles)

    def has_perm(self, perm, obj=None):
        if self.is_active and Role.STATE_ADMIN in self.programme_roles:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and Role.STATE_ADMIN in self.programme_roles:
            return True
        return super().has_module_perms(app_label)


class StateRole(models.Model):
    """A programme-wide role: state office (review, approval, administration) or evaluation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="state_roles")
    role = models.CharField(
        _("Rolle"),
        max_length=32,
        choices=[(r.value, r.label) for r in Role if r in PROGRAMME_WIDE_ROLES],
    )

    class Meta:
        verbose_name = _("Landesrolle")
        verbose_name_plural = _("Landesrollen")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_state_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A named API key of a user. Only a hash is stored; the key is shown once on creation."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    read_only = models.BooleanField(
        _("nur lesen"), default=True, help_text=_("Ein Lese-Token darf nichts ändern.")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        # Keys are 40+ random characters, so a fast hash is enough; no password stretching needed.
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("in Warteschlange")
    RENDERING = "rendering", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class QueuedDocument(models.Model):
    """A PDF that a worker renders and keeps (accounts.documents): who asked for it and when,
    its status and progress, and why it failed. Each concrete document adds what it is about
    and where its file goes."""

    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]
