"""How every endpoint answers a refusal of a service (accounts.errors) – one mapping, so a
client handles the same situation the same way in funding, monitoring and prevention chains:

- DomainError (the request is valid, but the object's state or the rules forbid the action):
  409 `refused`; `message` is the service's German message (several are joined),
  `details.reasons` lists each one, `details.reason_code` carries the service's own code where
  it set one (e.g. `overdraw`).
- StaleEditError (someone changed the record since it was read): 409 `stale` – reload and send
  again.
- A DomainError naming fields (the service checked values the serializer cannot, e.g. a rule's
  rate for its financing type): 400 `invalid` with `details` per field, like the serializers.
"""

from rest_framework import serializers, status

from accounts.api.base import PortalApiViewMixin
from accounts.api.errors import ApiError
from accounts.api.schema import PortalAutoSchema
from accounts.errors import DomainError, StaleEditError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def refusal(error: DomainError) -> Exception:
    """The API exception answering a refusal of a service."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    messages = error.messages
    if isinstance(error, StaleEditError):
        return ApiError(" ".join(messages), code="stale", status_code=status.HTTP_409_CONFLICT)
    details = {"reasons": messages}
    reason_code = getattr(error, "code", None)
    if reason_code:
        details["reason_code"] = reason_code
    return ApiError(
        " ".join(messages),
        code="refused",
        status_code=status.HTTP_409_CONFLICT,
        details=details,
    )


class DomainAutoSchema(PortalAutoSchema):
    """Every writing endpoint can be refused by its service: 409 in the schema."""

    def _error_codes(self) -> list[str]:
        codes = super()._error_codes()
        if self.method not in SAFE_METHODS:
            codes.append("409")
        return codes


class DomainApiViewMixin(PortalApiViewMixin):
    """The base of every viewset whose services refuse: the shared API behaviour plus the one
    refusal mapping above."""

    schema = DomainAutoSchema()

    def handle_exception(self, exc):
        if isinstance(exc, DomainError):
            exc = refusal(exc)
        return super().handle_exception(exc)
