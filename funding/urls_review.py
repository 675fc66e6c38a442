from django.urls import path

from funding import views_review as views

urlpatterns = [
    path("pruefung/", views.queue, name="review_queue"),
    path("<int:pk>/pruefung/", views.application_review, name="application_review"),
    path(
        "<int:pk>/pruefung/nachbesserung/",
        views.request_changes,
        name="review_request_changes",
    ),
    path("<int:pk>/kommentare/", views.application_comments, name="application_comments"),
]
