"""Mittelabruf, Anordnung, Auszahlung and Weiterleitung pages."""

from django.urls import path

from funding import views_payments as views

urlpatterns = [
    path(
        "antraege/<int:pk>/mittelabrufe/", views.application_payments, name="application_payments"
    ),
    path("antraege/<int:pk>/weiterleitungen/", views.forwarding_create, name="forwarding_create"),
    path("weiterleitungen/<int:pk>/loeschen/", views.forwarding_delete, name="forwarding_delete"),
    path("zahlungen/", views.payment_queue, name="payment_queue"),
    path("zahlungen/<int:pk>/pruefen/", views.payment_check, name="payment_check"),
    path("zahlungen/<int:pk>/anordnen/", views.payment_approve, name="payment_approve"),
    path("zahlungen/<int:pk>/ablehnen/", views.payment_reject, name="payment_reject"),
]
