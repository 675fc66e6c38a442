from django.urls import path  # noqa: F401 – routes are added with their views

urlpatterns: list = []
