"""Pages of the PDF documents (see prevention_chains.urls)."""

from django.urls import path

from prevention_chains import views_documents as views

urlpatterns = [
    path("<slug:slug>/dokumente/", views.document_list, name="document_list"),
    path("<slug:slug>/dokumente/anfordern/", views.document_request, name="document_request"),
    path("dokumente/<int:pk>/", views.document_detail, name="document_detail"),
    path("dokumente/<int:pk>/pdf/", views.document_download, name="document_download"),
]
