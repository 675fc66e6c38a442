"""Pages of the leitbild part (see prevention_chains.urls)."""

urlpatterns: list = []
