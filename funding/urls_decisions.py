"""Decision pages (issue 3 §5): Bescheide of an application, their PDFs, the waiver of legal
remedy, and Bescheid batches of the state office."""

from django.urls import path

from funding import views_decisions as views

urlpatterns = [
    path(
        "antraege/<int:pk>/bescheide/",
        views.application_decisions,
        name="application_decisions",
    ),
    path("bescheide/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path(
        "bescheide/<int:pk>/rechtsbehelfsverzicht/",
        views.decision_waiver,
        name="decision_waiver",
    ),
    path("bescheide/stapel/", views.document_batch_create, name="document_batch_create"),
    path("bescheide/stapel/<int:pk>/", views.document_batch_detail, name="document_batch_detail"),
    path(
        "bescheide/stapel/<int:pk>/fortschritt/",
        views.document_batch_progress,
        name="document_batch_progress",
    ),
    path("bescheide/stapel/<int:pk>/zip/", views.document_batch_zip, name="document_batch_zip"),
    path("dokumente/<int:pk>/", views.document_download, name="document_download"),
    path("dokumente/<int:pk>/stand/", views.document_status, name="document_status"),
]
