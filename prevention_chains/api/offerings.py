"""API v1 endpoints of the offerings part; kekiz_portal.api registers ROUTES."""

ROUTES: list = []
