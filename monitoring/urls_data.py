"""Monitoring data pages: Sozialräume, indicator catalogue, single values, quality, approval."""

from django.urls import path

from monitoring import views_data as views

urlpatterns = [
    path("indikatoren/", views.indicator_list, name="indicator_list"),
    path("indikatoren/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("sozialraeume/<int:pk>/", views.sozialraum_detail, name="sozialraum_detail"),
    path("sozialraeume/<int:pk>/bearbeiten/", views.sozialraum_edit, name="sozialraum_edit"),
    path(
        "sozialraeume/<int:pk>/neue-version/",
        views.sozialraum_new_version,
        name="sozialraum_new_version",
    ),
    path("sozialraeume/<int:pk>/grenze/", views.sozialraum_boundary, name="sozialraum_boundary"),
    path(
        "sozialraeume/<int:pk>/bevoelkerung/",
        views.sozialraum_population,
        name="sozialraum_population",
    ),
    path("pruefhinweise/<int:pk>/geprueft/", views.flag_resolve, name="flag_resolve"),
    path("<slug:slug>/sozialraeume/", views.sozialraum_list, name="sozialraum_list"),
    path("<slug:slug>/sozialraeume/neu/", views.sozialraum_create, name="sozialraum_create"),
    path("<slug:slug>/indikatoren/", views.local_indicators, name="local_indicators"),
    path("<slug:slug>/werte/", views.entry, name="entry"),
    path("<slug:slug>/pruefhinweise/", views.flag_list, name="flag_list"),
    path("<slug:slug>/freigaben/", views.approval_list, name="approval_list"),
    path(
        "<slug:slug>/freigaben/<int:year>/freigeben/",
        views.approval_confirm,
        name="approval_confirm",
    ),
    path(
        "<slug:slug>/freigaben/<int:year>/weitergabe/",
        views.approval_release,
        name="approval_release",
    ),
    path(
        "<slug:slug>/freigaben/<int:year>/aufheben/",
        views.approval_reopen,
        name="approval_reopen",
    ),
]
