"""API v1 endpoints of the chain part; kekiz_portal.api registers ROUTES."""

ROUTES: list = []
