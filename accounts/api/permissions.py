from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.models import ApiToken


class ReadOnlyTokenPermission(permissions.BasePermission):
    """A read-only token may read, never write."""

    message = _("Dieses Token ist nur zum Lesen berechtigt.")

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            return request.method in permissions.SAFE_METHODS
        return True
