from django.urls import path

from funding import views_audit

urlpatterns = [
    path("antraege/<int:pk>/verlauf/", views_audit.application_history, name="application_history"),
]
