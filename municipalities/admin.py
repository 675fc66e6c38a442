from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User
from municipalities.models import (
    Membership,
    Municipality,
    Participation,
    PopulationFigure,
    Programme,
    ProgrammePhase,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("municipality",)
    verbose_name_plural = _("Rollen in Kommunen")


# accounts sits below municipalities and cannot name Membership, so the user admin gains its
# municipal roles here.
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
    list_filter = (*UserAdmin.list_filter, "memberships__role")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "role", "created_at")
    list_filter = ("role", "municipality__kind", "municipality__regierungsbezirk")
    search_fields = (
        "user__email",
        "user__full_name",
        "municipality__short_name",
        "municipality__ags",
    )
    autocomplete_fields = ("user", "municipality")
    list_select_related = ("user", "municipality")


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0
    ordering = ("-reference_date",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("short_name", "ags", "kind", "regierungsbezirk", "parent")
    list_filter = ("kind", "regierungsbezirk", "go_nrw_status")
    search_fields = ("short_name", "name", "ags", "gemeinde_ags")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [PopulationFigureInline]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ("municipality", "reference_date", "total", "under_18", "source")
    list_filter = ("reference_date", "municipality__kind")
    search_fields = ("municipality__short_name", "municipality__ags")
    autocomplete_fields = ("municipality",)
    list_select_related = ("municipality",)
    date_hierarchy = "reference_date"


class ProgrammePhaseInline(admin.TabularInline):
    model = ProgrammePhase
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "slug")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [ProgrammePhaseInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("municipality", "programme", "cohort", "joined_on", "left_on")
    list_filter = (
        "programme",
        "cohort",
        "municipality__kind",
        "municipality__regierungsbezirk",
        ("left_on", admin.EmptyFieldListFilter),
    )
    search_fields = ("municipality__short_name", "municipality__name", "municipality__ags")
    autocomplete_fields = ("municipality",)
    list_select_related = ("municipality", "programme")
