from django.urls import path

from municipalities import views

urlpatterns = [
    path("programme/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("kommunen/", views.municipality_list, name="municipality_list"),
    path("kommunen/export.csv", views.municipality_list_csv, name="municipality_list_csv"),
    path("kommunen/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
]
