"""Every funding endpoint of API v1, as (prefix, viewset, basename); kekiz_portal.api registers
them. Each stage of the lifecycle lists its own in its module's ROUTES."""

from funding.api import administration, applications, decisions, payments, proofs, review

ROUTES = [
    *applications.ROUTES,
    *review.ROUTES,
    *decisions.ROUTES,
    *payments.ROUTES,
    *proofs.ROUTES,
    *administration.ROUTES,
]
