"""Errors services raise; each message is safe and meant to be shown to the user."""


class ServiceError(Exception):
    """Base class: str(error) is a user-facing sentence."""


class NotFound(ServiceError):
    """The row does not exist or belongs to someone else (the two are never told apart)."""


class Conflict(ServiceError):
    """A unique value is already taken."""


class Invalid(ServiceError):
    """The input breaks a rule (empty, too long, malformed)."""


class Unauthorized(ServiceError):
    """Credentials or session are not valid."""
