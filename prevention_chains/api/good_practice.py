"""API v1 endpoints of the good_practice part; kekiz_portal.api registers ROUTES."""

ROUTES: list = []
