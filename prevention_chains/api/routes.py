"""Every prevention-chain endpoint of API v1, as (prefix, viewset, basename); kekiz_portal.api
registers them. Each part lists its own in its module's ROUTES."""

from prevention_chains.api import actors, chain, good_practice, leitbild, offerings

ROUTES = [
    *leitbild.ROUTES,
    *actors.ROUTES,
    *offerings.ROUTES,
    *chain.ROUTES,
    *good_practice.ROUTES,
]
