from django.urls import path

from funding import views_review as views

urlpatterns = [
    path("pruefung/", views.queue, name="review_queue"),
    path("antraege/<int:pk>/pruefung/", views.application_review, name="application_review"),
    path(
        "antraege/<int:pk>/pruefung/nachbesserung/",
        views.request_changes,
        name="review_request_changes",
    ),
    path("antraege/<int:pk>/kommentare/", views.application_comments, name="application_comments"),
]
