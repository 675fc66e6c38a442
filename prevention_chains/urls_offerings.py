"""Pages of the offerings part (see prevention_chains.urls)."""

urlpatterns: list = []
