"""API v1 endpoints of the actors part; kekiz_portal.api registers ROUTES."""

ROUTES: list = []
