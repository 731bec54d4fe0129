"""Password hashing with bcrypt (cost 12) and the length rule bcrypt imposes."""

from __future__ import annotations

import os
import threading

import bcrypt

BCRYPT_COST = 12
MIN_BYTES = 8
MAX_BYTES = 72  # bcrypt ignores (or, in bcrypt 5, rejects) anything past 72 bytes



def _hashing_slots() -> int:
    configured = os.environ.get("PASSWORD_HASHING_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else max(1, (os.cpu_count() or 2) // 2)


# bcrypt releases the GIL, so a burst of sign-ins would otherwise run one hash per thread and
# take every core from the event loop that serves everyone's chats. Hashes wait their turn
# instead: a sign-in may take longer under a storm, a chat message does not.
_SLOTS = threading.BoundedSemaphore(_hashing_slots())


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
    encoded = check_password_rules(password)
    with _SLOTS:
        return bcrypt.hashpw(encoded, bcrypt.gensalt(cost)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches; False for any malformed input, never an exception."""
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        return False
    try:
        with _SLOTS:
            return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False


# A real hash to compare against when the account does not exist, so that a missing user
# costs the same time as a wrong password and usernames cannot be probed by timing.
DUMMY_HASH = hash_password("timing-equaliser-not-a-password", cost=BCRYPT_COST)
