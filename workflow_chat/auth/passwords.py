"""Password hashing with bcrypt (cost 12) and the length rule bcrypt imposes."""

from __future__ import annotations

import bcrypt

BCRYPT_COST = 12
MIN_BYTES = 8
MAX_BYTES = 72  # bcrypt ignores (or, in bcrypt 5, rejects) anything past 72 bytes


class PasswordRejected(ValueError):
    """The password breaks the length rule; the message is fit to show the user."""


def check_password_rules(password: str) -> bytes:
    """The password's UTF-8 bytes, or PasswordRejected saying what is wrong."""
    encoded = password.encode("utf-8")
    if len(encoded) < MIN_BYTES:
        raise PasswordRejected(f"Password must be at least {MIN_BYTES} characters long.")
    if len(encoded) > MAX_BYTES:
        raise PasswordRejected(
            f"Password is too long: at most {MAX_BYTES} bytes "
            f"(yours is {len(encoded)}; accented letters and emoji count as several)."
        )
    return encoded


def hash_password(password: str, *, cost: int = BCRYPT_COST) -> str:
    return bcrypt.hashpw(check_password_rules(password), bcrypt.gensalt(cost)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches; False for any malformed input, never an exception."""
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False


# A real hash to compare against when the account does not exist, so that a missing user
# costs the same time as a wrong password and usernames cannot be probed by timing.
DUMMY_HASH = hash_password("timing-equaliser-not-a-password", cost=BCRYPT_COST)
