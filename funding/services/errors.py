from django.core.exceptions import ValidationError


class FundingError(ValidationError):
    """A funding action was refused; the message tells the user what to do, in plain German."""


class StaleEditError(FundingError):
    """Someone else changed the record after the form was opened (optimistic locking)."""
