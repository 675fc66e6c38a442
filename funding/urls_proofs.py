"""Proof of use (Verwendungsnachweis) pages, issue 3 §9."""

from django.urls import path

from funding import views_proofs as views

urlpatterns = [
    path(
        "antraege/<int:pk>/verwendungsnachweise/",
        views.application_proofs,
        name="application_proofs",
    ),
    path(
        "antraege/<int:pk>/verwendungsnachweise/<int:year>/anlegen/",
        views.proof_open,
        name="proof_open",
    ),
    path("verwendungsnachweise/<int:pk>/", views.proof_edit, name="proof_edit"),
    path("verwendungsnachweise/<int:pk>/einreichen/", views.proof_submit, name="proof_submit"),
    path("verwendungsnachweise/<int:pk>/pruefen/", views.proof_check, name="proof_check"),
    path("verwendungsnachweise/<int:pk>/zurueckgeben/", views.proof_return, name="proof_return"),
    path(
        "verwendungsnachweise/<int:pk>/pruefvermerk.pdf",
        views.proof_check_pdf,
        name="proof_check_pdf",
    ),
]
