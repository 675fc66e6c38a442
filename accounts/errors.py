"""The refusals every app's services raise, so that pages and the API answer them alike."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A service refused an action; the message tells the user what to do, in plain German."""


class StaleEditError(DomainError):
    """Someone else changed the record after the form was opened (optimistic locking)."""
