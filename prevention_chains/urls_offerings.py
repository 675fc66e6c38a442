"""Pages of the offerings part (see prevention_chains.urls): a municipality's list, export,
new offering, import and template under <slug>/angebote/, single offerings and imports by id."""

from django.urls import path

from prevention_chains import views_offering_imports as imports
from prevention_chains import views_offerings as views

urlpatterns = [
    path("<slug:slug>/angebote/", views.offering_list, name="offering_list"),
    path("<slug:slug>/angebote/export.<str:fmt>", views.offering_export, name="offering_export"),
    path("<slug:slug>/angebote/neu/", views.offering_create, name="offering_create"),
    path("angebote/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("angebote/<int:pk>/bearbeiten/", views.offering_edit, name="offering_edit"),
    path("angebote/<int:pk>/loeschen/", views.offering_delete, name="offering_delete"),
    path("angebote/<int:pk>/bestaetigen/", views.offering_confirm, name="offering_confirm"),
    path(
        "<slug:slug>/angebote/import/",
        imports.offering_import_upload,
        name="offering_import_upload",
    ),
    path(
        "<slug:slug>/angebote/vorlage.<str:fmt>",
        imports.offering_import_template,
        name="offering_import_template",
    ),
    path(
        "angebote/importe/<int:pk>/",
        imports.offering_import_detail,
        name="offering_import_detail",
    ),
    path(
        "angebote/importe/<int:pk>/fortschritt/",
        imports.offering_import_progress,
        name="offering_import_progress",
    ),
    path(
        "angebote/importe/<int:pk>/importieren/",
        imports.offering_import_start,
        name="offering_import_start",
    ),
    path(
        "angebote/importe/<int:pk>/verwerfen/",
        imports.offering_import_discard,
        name="offering_import_discard",
    ),
]
