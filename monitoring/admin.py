"""Django admin of monitoring: the programme administration maintains the indicator catalogue
here. Data (observations, findings, approvals, imports, reports) change only through the
portal's services, so the admin shows them read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import (
    Comment,
    DataApproval,
    DataApprovalEvent,
    ImportBatch,
    Indicator,
    MonitoringReport,
    NeedIndex,
    Observation,
    QualityFlag,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "theme", "life_phase", "unit", "municipality", "is_active")
    list_filter = (
        "is_active",
        "theme",
        "life_phase",
        "period_type",
        "spatial_reference",
        "direction",
        ("municipality", admin.EmptyFieldListFilter),
    )
    search_fields = ("code", "name", "definition", "numerator", "denominator")
    autocomplete_fields = ("municipality",)
    fieldsets = (
        (None, {"fields": ("municipality", "code", "name", "theme", "life_phase", "is_active")}),
        (_("Definition"), {"fields": ("definition", "numerator", "denominator", "factor", "unit")}),
        (
            _("Bezug und Quelle"),
            {"fields": ("period_type", "period_note", "spatial_reference", "source", "direction")},
        ),
        (
            _("Prüfung und Geheimhaltung"),
            {
                "fields": (
                    "min_cases",
                    "numerator_within_denominator",
                    "value_min",
                    "value_max",
                    "caveats",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new k changes what every municipality may show of this indicator.
        refresh_disclosure(municipality_id=obj.municipality_id)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "sozialraum", "period", "numerator", "denominator", "status")
    list_filter = ("status", "period", "indicator__theme")
    search_fields = ("indicator__code", "sozialraum__name", "sozialraum__municipality__short_name")
    list_select_related = ("indicator", "sozialraum")
    show_full_result_count = False


@admin.register(QualityFlag)
class QualityFlagAdmin(ReadOnlyAdmin):
    list_display = ("observation", "kind", "score", "message", "resolved_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("observation__indicator", "observation__sozialraum")


@admin.register(DataApproval)
class DataApprovalAdmin(ReadOnlyAdmin):
    list_display = (
        "municipality",
        "period",
        "approved_at",
        "approved_by",
        "released_to_state_office",
    )
    list_filter = ("period", "released_to_state_office")
    list_select_related = ("municipality", "approved_by")


@admin.register(DataApprovalEvent)
class DataApprovalEventAdmin(ReadOnlyAdmin):
    list_display = ("municipality", "period", "action", "actor", "at", "reason")
    list_filter = ("action", "period")
    list_select_related = ("municipality", "actor")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "municipality", "status", "uploaded_at", "total_rows")
    list_filter = ("status",)
    list_select_related = ("municipality",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("sozialraum", "indicator", "period", "author", "created_at")
    list_select_related = ("sozialraum", "indicator", "author")


@admin.register(NeedIndex)
class NeedIndexAdmin(ReadOnlyAdmin):
    list_display = ("name", "municipality", "period", "updated_at")
    list_select_related = ("municipality",)


@admin.register(MonitoringReport)
class MonitoringReportAdmin(ReadOnlyAdmin):
    list_display = ("municipality", "period", "status", "requested_at")
    list_filter = ("status",)
    list_select_related = ("municipality",)
