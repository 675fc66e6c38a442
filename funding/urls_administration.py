"""Programme administration, budget coverage, exports and status reports."""

from django.urls import path

from funding import views_administration as views

urlpatterns = [
    path("verwaltung/", views.administration, name="administration"),
    path("verwaltung/regeln/", views.rule_list, name="rule_list"),
    path("verwaltung/regeln/neu/", views.rule_create, name="rule_create"),
    path("verwaltung/regeln/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("verwaltung/aufrufe/", views.call_list, name="call_list"),
    path("verwaltung/aufrufe/neu/", views.call_create, name="call_create"),
    path("verwaltung/aufrufe/<int:pk>/", views.call_edit, name="call_edit"),
    path("verwaltung/aufrufe/<int:pk>/loeschen/", views.call_delete, name="call_delete"),
    path("verwaltung/haushalt/", views.budget_list, name="budget_list"),
    path("verwaltung/haushalt/neu/", views.budget_create, name="budget_create"),
    path("verwaltung/haushalt/<int:pk>/", views.budget_edit, name="budget_edit"),
    path("verwaltung/haushalt/<int:pk>/loeschen/", views.budget_delete, name="budget_delete"),
    path("verwaltung/export/", views.export, name="export"),
    path("aufrufe/", views.open_calls, name="open_calls"),
    path("deckung/", views.coverage, name="coverage"),
    path("deckung/<slug:slug>/", views.municipality_coverage, name="municipality_coverage"),
    path("deckung/<slug:slug>/bericht/", views.status_report, name="status_report"),
    path(
        "deckung/<slug:slug>/bericht/<int:pk>/",
        views.status_report_row,
        name="status_report_row",
    ),
    path(
        "deckung/<slug:slug>/bericht/<int:pk>/pdf/",
        views.status_report_download,
        name="status_report_download",
    ),
]
