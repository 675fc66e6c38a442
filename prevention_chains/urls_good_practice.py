"""Pages of the good_practice part (see prevention_chains.urls)."""

urlpatterns: list = []
