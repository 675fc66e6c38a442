"""Django admin of funding: a read-only window on every record and its audit events.

Funding records change only through funding.services, which check what the admin could not:
a budget cut below what is granted, four-eyes, stale edits, attribution of the audit events.
So the admin lists and shows, and the pages of the portal write."""

from django.contrib import admin

from funding import models


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.FundingRule)
class FundingRuleAdmin(ReadOnlyAdmin):
    list_display = ("programme", "valid_from_year", "financing_type", "rate", "yearly_cap")
    list_select_related = ("programme",)


@admin.register(models.Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "programme", "first_year", "last_year", "opens_on", "closes_on")
    list_select_related = ("programme",)


@admin.register(models.Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("programme", "fiscal_year", "source", "status", "amount")
    list_filter = ("status", "source", "fiscal_year")
    list_select_related = ("programme",)


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "municipality", "call", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("number", "municipality__short_name", "municipality__ags")
    list_select_related = ("municipality", "call")


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("file_reference", "application", "kind", "decided_at", "is_current")
    list_filter = ("kind", "is_current")
    search_fields = ("file_reference", "application__number")
    list_select_related = ("application__municipality",)


@admin.register(models.PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "application", "year", "amount", "status", "requested_at")
    list_filter = ("status", "year")
    list_select_related = ("application__municipality",)


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("booking_reference", "request", "amount", "paid_on")


@admin.register(models.ProofOfUse)
class ProofOfUseAdmin(ReadOnlyAdmin):
    list_display = ("application", "year", "status", "due_on", "final_grant", "clawback_amount")
    list_filter = ("status", "year")
    list_select_related = ("application__municipality",)


@admin.register(models.FundingDocument)
class FundingDocumentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "municipality", "status", "requested_at")
    list_filter = ("kind", "status")
    list_select_related = ("municipality",)


for event_model in (
    models.FundingRuleEvent,
    models.CallEvent,
    models.BudgetEvent,
    models.ApplicationEvent,
    models.ApplicationYearEvent,
    models.CostLineEvent,
    models.DecisionEvent,
    models.DecisionYearEvent,
    models.PaymentRequestEvent,
    models.PaymentEvent,
    models.ProofOfUseEvent,
):
    admin.site.register(
        event_model,
        type(
            f"{event_model.__name__}Admin",
            (ReadOnlyAdmin,),
            {"list_display": ("pgh_created_at", "pgh_label", "pgh_obj", "pgh_context")},
        ),
    )
