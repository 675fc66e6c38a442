"""Pages of the public part (see prevention_chains.urls)."""

urlpatterns: list = []
