"""Pages of the chain part (see prevention_chains.urls; under /praeventionskette/)."""

from django.urls import path

from prevention_chains import views_chain as views

urlpatterns = [
    path("<slug:slug>/", views.chain, name="chain"),
    path("<slug:slug>/doppelungen/", views.chain_duplicates, name="chain_duplicates"),
    path("<slug:slug>/bedarf-und-angebot/", views.chain_supply, name="chain_supply"),
]
