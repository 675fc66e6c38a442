"""Funding pages, mounted at /foerderung/. Each stage of the lifecycle keeps its own routes."""

from django.urls import include, path

app_name = "funding"

urlpatterns = [
    path("", include("funding.urls_applications")),
    path("", include("funding.urls_review")),
    path("", include("funding.urls_decisions")),
    path("", include("funding.urls_payments")),
    path("", include("funding.urls_proofs")),
    path("", include("funding.urls_administration")),
    path("", include("funding.urls_audit")),
]
