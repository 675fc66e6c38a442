"""Monitoring pages, mounted at /monitoring/. Each part of the feature keeps its own routes."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("", include("monitoring.urls_data")),
    path("", include("monitoring.urls_imports")),
    path("", include("monitoring.urls_analysis")),
    path("", include("monitoring.urls_reports")),
]
