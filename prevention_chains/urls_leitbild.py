"""Pages of the leitbild part (see prevention_chains.urls)."""

from django.urls import path

from prevention_chains import views_leitbild as views

urlpatterns = [
    path("<slug:slug>/leitbild/", views.leitbild_overview, name="leitbild_overview"),
    path("<slug:slug>/leitbild/anlegen/", views.leitbild_create, name="leitbild_create"),
    path("leitbild/<int:pk>/", views.leitbild_detail, name="leitbild_detail"),
    path("leitbild/<int:pk>/bearbeiten/", views.leitbild_edit, name="leitbild_edit"),
    path("leitbild/<int:pk>/beschliessen/", views.leitbild_adopt, name="leitbild_adopt"),
    path(
        "leitbild/<int:pk>/neue-fassung/", views.leitbild_new_version, name="leitbild_new_version"
    ),
    path("leitbild/<int:pk>/ziele/anlegen/", views.goal_create, name="goal_create"),
    path("leitbild/ziele/<int:pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("leitbild/ziele/<int:pk>/loeschen/", views.goal_delete, name="goal_delete"),
    path(
        "leitbild/ziele/<int:pk>/indikatoren/anlegen/",
        views.goal_indicator_create,
        name="goal_indicator_create",
    ),
    path(
        "leitbild/zielindikatoren/<int:pk>/bearbeiten/",
        views.goal_indicator_edit,
        name="goal_indicator_edit",
    ),
    path(
        "leitbild/zielindikatoren/<int:pk>/loeschen/",
        views.goal_indicator_delete,
        name="goal_indicator_delete",
    ),
]
