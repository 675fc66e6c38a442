from accounts.errors import DomainError
from accounts.errors import StaleEditError as AnyStaleEditError


class ChainError(DomainError):
    """A Leitbild or chain action was refused; the message says what to do, in plain German."""


class StaleEditError(ChainError, AnyStaleEditError):
    """Someone else changed the record after the form was opened (optimistic locking)."""
