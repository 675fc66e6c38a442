from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import ApiToken, StateRole, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        # Logins compare lower-case addresses; a second account differing in case only would
        # be unreachable.
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Es gibt schon ein Konto mit dieser E-Mail-Adresse."))
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("Es gibt schon ein Konto mit dieser E-Mail-Adresse."))
        return email


class StateRoleInline(admin.TabularInline):
    model = StateRole
    extra = 0
    verbose_name = _("Landesrolle")
    verbose_name_plural = _("Landesrollen (Landeskoordinierungsstelle, Evaluation)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts with e-mail login. Roles are edited inline; `is_staff` follows from them."""

    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
        (_("Status"), {"fields": ("is_active", "is_superuser")}),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "is_active", "two_factor", "last_login")
    list_filter = ("is_active", "is_superuser", "state_roles__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    inlines = [StateRoleInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The programme administration manages roles; only a superuser makes superusers.
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def get_inlines(self, request, obj):
        # Roles are added once the account exists (the add form stays minimal).
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        return super().get_queryset(request).annotate(has_totp=Exists(totp))

    @admin.display(boolean=True, description=_("2FA aktiv"), ordering="has_totp")
    def two_factor(self, obj) -> bool:
        return obj.has_totp


@admin.register(StateRole)
class StateRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read only: keys are created by their owners; here a leaked one can be revoked."""

    list_display = (
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("read_only", ("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "prefix", "user__email", "user__full_name")
    list_select_related = ("user",)
    readonly_fields = list_display
    fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay as a record of who had access when.
        return False

    @admin.action(description=_("Ausgewählte Tokens widerrufen"))
    def revoke(self, request, queryset):
        count = 0
        for token_id in queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True):
            services.revoke_api_token(token_id=token_id, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%d Token widerrufen.", "%d Tokens widerrufen.", count) % count,
            messages.SUCCESS,
        )
