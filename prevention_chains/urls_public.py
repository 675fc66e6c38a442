"""Pages of the public part (see prevention_chains.urls): the offering finder."""

from django.urls import path

from prevention_chains import views_public

urlpatterns = [
    path("angebote/", views_public.finder_list, name="finder"),
    path("angebote/<int:offering_id>/", views_public.finder_detail, name="finder_detail"),
]
