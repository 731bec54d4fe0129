"""Errors services raise; each message is safe and meant to be shown to the user."""


class ServiceError(Exception):
    """Base class: str(error) is a user-facing sentence."""


class NotFound(ServiceError):
    """The row does not exist or belongs to someone else (the two are never told apart)."""


class Conflict(ServiceError):
    """A unique value is already taken."""


class Invalid(ServiceError):
    """The input breaks a rule (empty, too long, malformed); `errors` lists every problem when
    the sentence only names the first few."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


class Unauthorized(ServiceError):
    """Credentials or session are not valid."""


class RateLimited(ServiceError):
    """Too many attempts in a short time; `retry_after` says in how many seconds (at least 1)
    the caller may try again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Forbidden(ServiceError):
    """The caller may not do this at all (not a matter of who owns what); `code` names the
    reason for clients that act on it, e.g. "registration_closed"."""

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message)
        self.code = code
