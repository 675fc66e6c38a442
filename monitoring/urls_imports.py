from django.urls import path

from monitoring import views_imports as views

urlpatterns = [
    path("<slug:slug>/importe/", views.import_list, name="import_list"),
    path("<slug:slug>/importe/neu/", views.import_upload, name="import_upload"),
    path("<slug:slug>/importe/<int:pk>/", views.import_detail, name="import_detail"),
    path(
        "<slug:slug>/importe/<int:pk>/fortschritt/",
        views.import_progress,
        name="import_progress",
    ),
    path("<slug:slug>/importe/<int:pk>/importieren/", views.import_start, name="import_start"),
    path("<slug:slug>/importe/<int:pk>/verwerfen/", views.import_discard, name="import_discard"),
    path(
        "<slug:slug>/importe/<int:pk>/fehler.csv", views.import_issues_csv, name="import_issues_csv"
    ),
]
