"""Domain errors carry a stable code, a message and the field they concern; never an HTTP status.

Each dialect owns the table that turns them into its own status codes and envelopes.
"""

from typing import ClassVar


class DomainError(Exception):
    """An expected business failure. Dialects translate it; nothing else catches it."""

    code: ClassVar[str] = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    """The record does not exist, or belongs to another account (the two look the same)."""

    code = "not_found"


class ConflictError(DomainError):
    """The request is well formed but clashes with the current state."""

    code = "conflict"


class InvalidRequestError(DomainError):
    """A value is malformed, unknown or not allowed."""

    code = "invalid_request"


class AuthenticationError(DomainError):
    """The credentials are missing, wrong, or the account is not active."""

    code = "unauthenticated"


class DuplicateError(ConflictError):
    """A value that must be unique in the account is already taken."""

    code = "duplicate"


class InvalidStateTransitionError(ConflictError):
    """The record's current state does not allow the requested change."""

    code = "invalid_state_transition"


class ForbiddenError(DomainError):
    """The caller is known but its role does not allow this request."""

    code = "forbidden"


class ContentTooLargeError(InvalidRequestError):
    """An uploaded file is larger than the configured limit."""

    code = "content_too_large"
