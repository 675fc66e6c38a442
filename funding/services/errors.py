from accounts.errors import DomainError
from accounts.errors import StaleEditError as AnyStaleEditError


class FundingError(DomainError):
    """A funding action was refused; the message tells the user what to do, in plain German."""


class StaleEditError(FundingError, AnyStaleEditError):
    """Someone else changed the record after the form was opened (optimistic locking)."""
