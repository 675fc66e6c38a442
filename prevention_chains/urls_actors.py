"""Pages of the actors part (see prevention_chains.urls)."""

urlpatterns: list = []
