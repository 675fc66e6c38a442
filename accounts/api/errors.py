"""One JSON error format for the whole API:

    {"error": {"code": "not_found", "message": "…", "details": {...}}}

`code` is a stable English identifier for programs, `message` plain German for people.
`details` carries field errors ({"field": ["message", …]}) where a request was invalid, and
`retry_after` (seconds) where a client has to wait.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(code: str, message: str, details=None) -> dict:
    error = {"code": code, "message": str(message)}
    if details:
        error["details"] = details
    return {"error": error}


def json_error(code: str, message: str, status_code: int, details=None) -> JsonResponse:
    """For responses made outside DRF views (middleware, plain Django views under /api/)."""
    return JsonResponse(error_body(code, message, details), status=status_code)


class ApiError(exceptions.APIException):
    """A domain refusal with its own code and status, for views that need more than DRF's set."""

    def __init__(self, message, *, code: str, status_code: int, details=None, headers=None):
        super().__init__(message, code)
        self.status_code = status_code
        self.details = details
        self.headers = headers or {}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body("invalid", _validation_message(details), details)
    else:
        detail = getattr(exc, "detail", str(exc))
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        details = getattr(exc, "details", None)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after": int(exc.wait + 0.999)}
        body = error_body(code, detail, details)
    headers = _headers(response)
    headers.update(getattr(exc, "headers", None) or {})
    return Response(body, status=response.status_code, headers=headers)


def _validation_message(details: dict) -> str:
    # A single problem is the headline itself, so a client that shows only `message` still
    # tells its user what to fix; several problems get a summary and are listed in `details`.
    messages = [
        (field, message)
        for field, field_messages in details.items()
        for message in (field_messages if isinstance(field_messages, list) else [field_messages])
    ]
    if len(messages) == 1 and isinstance(messages[0][1], str):
        return messages[0][1]
    return _("Die Anfrage ist ungültig. Bitte korrigieren Sie die genannten Felder.")


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}


__all__ = ["ApiError", "error_body", "exception_handler", "json_error", "status"]
