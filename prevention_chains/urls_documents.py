"""Pages of the PDF documents (see prevention_chains.urls)."""

urlpatterns: list = []
