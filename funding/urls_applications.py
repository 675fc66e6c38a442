"""The coordinator's application pages (issue 3 §3)."""

from django.urls import path

from funding import views_applications as views

urlpatterns = [
    path("antraege/", views.application_list, name="application_list"),
    path("antraege/neu/", views.application_create, name="application_create"),
    path("antraege/<int:pk>/", views.application_detail, name="application_detail"),
    path("antraege/<int:pk>/bearbeiten/", views.application_edit, name="application_edit"),
    path(
        "antraege/<int:pk>/finanzierungsplan/<int:year>/",
        views.application_plan,
        name="application_plan",
    ),
    path(
        "antraege/<int:pk>/finanzierungsplan/<int:year>/vorschau/",
        views.application_plan_preview,
        name="application_plan_preview",
    ),
    path(
        "antraege/<int:pk>/anlagen/", views.application_attachments, name="application_attachments"
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("antraege/<int:pk>/einreichen/", views.application_submit, name="application_submit"),
    path(
        "antraege/<int:pk>/zurueckziehen/", views.application_withdraw, name="application_withdraw"
    ),
]
