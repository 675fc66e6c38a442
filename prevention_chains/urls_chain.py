"""Pages of the chain part (see prevention_chains.urls)."""

urlpatterns: list = []
