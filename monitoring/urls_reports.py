"""Monitoring report pages."""

from django.urls import path

from monitoring import views_reports as views

urlpatterns = [
    path("<slug:slug>/berichte/", views.report_list, name="report_list"),
    path("<slug:slug>/berichte/<int:pk>/status/", views.report_status, name="report_status"),
    path("<slug:slug>/berichte/<int:pk>/pdf/", views.report_download, name="report_download"),
]
