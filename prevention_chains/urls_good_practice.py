"""Pages of the good_practice part (see prevention_chains.urls): the public library under
/gute-praxis/, a municipality's own entries under /praeventionskette/<slug>/gute-praxis/."""

from django.urls import path

from prevention_chains import views_good_practice as views

urlpatterns = [
    path("gute-praxis/", views.library, name="good_practice_library"),
    path("gute-praxis/pruefung/", views.review, name="good_practice_review"),
    path("gute-praxis/pruefung/<int:pk>/", views.decide, name="good_practice_decide"),
    path("gute-praxis/<int:pk>/", views.detail, name="good_practice_detail"),
    path("gute-praxis/<int:pk>/uebernehmen/", views.adopt, name="good_practice_adopt"),
    path(
        "praeventionskette/<slug:slug>/gute-praxis/",
        views.mine,
        name="good_practice_mine",
    ),
    path(
        "praeventionskette/<slug:slug>/gute-praxis/<int:pk>/zurueckziehen/",
        views.withdraw,
        name="good_practice_withdraw",
    ),
    path(
        "praeventionskette/<slug:slug>/gute-praxis/vorschlagen/",
        views.propose_choose,
        name="good_practice_propose_choose",
    ),
    path(
        "praeventionskette/<slug:slug>/angebote/<int:offering_id>/gute-praxis/vorschlagen/",
        views.propose,
        name="good_practice_propose",
    ),
]
