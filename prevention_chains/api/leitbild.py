"""API v1 endpoints of the leitbild part; kekiz_portal.api registers ROUTES."""

ROUTES: list = []
