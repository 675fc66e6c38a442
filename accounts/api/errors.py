"""One JSON error format for the whole API:

    {"error": {"code": "not_found", "message": "…", "details": {...}}}

`details` carries field errors ({"field": ["message", …]}) where a request was invalid.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(code: str, message: str, details=None) -> dict:
    error = {"code": code, "message": str(message)}
    if details:
        error["details"] = details
    return {"error": error}


def json_error(code: str, message: str, status_code: int) -> JsonResponse:
    """For responses made outside DRF views (middleware, plain Django views under /api/)."""
    return JsonResponse(error_body(code, message), status=status_code)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            "invalid",
            "Die Anfrage ist ungültig. Bitte korrigieren Sie die genannten Felder.",
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail},
        )
    else:
        detail = getattr(exc, "detail", str(exc))
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        body = error_body(code, detail)
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}


__all__ = ["error_body", "exception_handler", "json_error", "status"]
