"""Leitbild and prevention-chain pages. A municipality's own pages live under
/praeventionskette/<slug>/, the public finder under /angebote/ and the good-practice library
under /gute-praxis/. Each part of the feature keeps its own routes."""

from django.urls import include, path

app_name = "prevention_chains"

urlpatterns = [
    path("", include("prevention_chains.urls_public")),
    path("", include("prevention_chains.urls_good_practice")),
    path("praeventionskette/", include("prevention_chains.urls_actors")),
    path("praeventionskette/", include("prevention_chains.urls_leitbild")),
    path("praeventionskette/", include("prevention_chains.urls_offerings")),
    path("praeventionskette/", include("prevention_chains.urls_chain")),
    path("praeventionskette/", include("prevention_chains.urls_documents")),
]
