from django.urls import path

from monitoring import views_analysis as views

urlpatterns = [
    path("land/", views.state_office, name="analysis_state_office"),
    path("<slug:slug>/analyse/", views.overview, name="analysis_overview"),
    path(
        "<slug:slug>/analyse/indikator/<int:indicator_id>/",
        views.series,
        name="analysis_series",
    ),
    path(
        "<slug:slug>/analyse/indikator/<int:indicator_id>/sozialraeume/",
        views.comparison,
        name="analysis_comparison",
    ),
    path(
        "<slug:slug>/analyse/indikator/<int:indicator_id>/kommentar/",
        views.comment_create,
        name="analysis_comment_create",
    ),
    path(
        "<slug:slug>/analyse/indikator/<int:indicator_id>/referenz/",
        views.reference,
        name="analysis_reference",
    ),
    path("<slug:slug>/analyse/bedarfsindex/", views.need_index_list, name="need_index_list"),
    path("<slug:slug>/analyse/bedarfsindex/neu/", views.need_index_edit, name="need_index_create"),
    path(
        "<slug:slug>/analyse/bedarfsindex/<int:pk>/",
        views.need_index_detail,
        name="need_index_detail",
    ),
    path(
        "<slug:slug>/analyse/bedarfsindex/<int:pk>/bearbeiten/",
        views.need_index_edit,
        name="need_index_edit",
    ),
]
