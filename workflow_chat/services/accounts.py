"""Accounts: register, authenticate, look up, and check a session token against the account
(it may have been revoked). Keyword-only functions over a session."""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.auth.passwords import (
    PasswordRejected,
    check_password_rules,
    hash_password,
    verify_password,
)
from workflow_chat.auth.tokens import issued_before, read_token
from workflow_chat.models import User
from workflow_chat.services import audit, rate_limits
from workflow_chat.services.errors import Conflict, Forbidden, Invalid, Unauthorized
from workflow_chat.settings import registration_allowed

_USERS = User.__table__  # type: ignore[attr-defined]
# Prebuilt: every event of every signed-in tab runs it.
_REVOCATION = sa.select(_USERS.c.tokens_valid_after).where(_USERS.c.id == sa.bindparam("user_id"))
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{3,40}$")
EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]{2,}$")
WRONG_CREDENTIALS = "Wrong username/email or password."
REGISTRATION_CLOSED = ("Registration is closed on this server: ask its administrator for an "
                       "account.")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Compared against when no account matches, so a missing user costs as long as a wrong
    # password and account names cannot be probed by timing.
    return hash_password("timing-equaliser-not-a-password")


def register(
    session: Session, *, username: str, email: str, password: str, by_admin: bool = False
) -> User:
    """Create an account; Invalid or Conflict carry a message for the form. When
    ALLOW_REGISTRATION is off, only `by_admin` (the create_user command) may: anyone else
    gets Forbidden with code "registration_closed"."""
    if not by_admin and not registration_allowed():
        raise Forbidden(REGISTRATION_CLOSED, code="registration_closed")
    username, email = username.strip(), email.strip().lower()
    if not USERNAME_RE.match(username):
        raise Invalid("Username must be 3–40 letters, digits, dots, dashes or underscores.")
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise Invalid("Please enter a valid email address.")
    try:
        check_password_rules(password)
    except PasswordRejected as exc:
        raise Invalid(str(exc)) from None
    _ensure_free(session, username=username, email=email)
    user = User(username=username, email=email, password_hash=hash_password(password))
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        # Two registrations raced past _ensure_free; the database's unique index decides.
        session.rollback()
        _ensure_free(session, username=username, email=email)
        raise Conflict("That username or email is already registered.") from None
    return user


def _ensure_free(session: Session, *, username: str, email: str) -> None:
    taken = session.exec(
        select(User).where(
            sa.or_(sa.func.lower(User.username) == username.lower(), User.email == email)
        )
    ).all()
    if any(u.username.lower() == username.lower() for u in taken):
        raise Conflict("That username is already taken.")
    if taken:
        raise Conflict("An account with that email already exists.")


def authenticate(session: Session, *, login: str, password: str, ip: str | None = None) -> User:
    """The user whose username or email is `login`, if the password matches. Both outcomes
    are audited (the name typed, never the password); a failure is committed before
    Unauthorized is raised, so the caller's rollback does not erase it. Too many attempts from
    `ip`, or too many wrong passwords for the account from `ip` (or from everywhere, a much
    higher ceiling), raise RateLimited before the password is checked
    (services/rate_limits.py): someone guessing from one address cannot lock the owner out."""
    login = login.strip()
    user = session.exec(
        select(User).where(
            sa.or_(sa.func.lower(User.username) == login.lower(), User.email == login.lower())
        )
    ).first()
    # By account, not by what was typed: username and email must not double the attempts.
    account = f"user:{user.id}" if user else f"name:{login}"
    rate_limits.check_login(account=account, ip=ip)
    matched = verify_password(password, user.password_hash if user else _dummy_hash())
    if user is None or not matched:
        rate_limits.record_login_failure(account=account, ip=ip)
        audit.record(session, user_id=user.id if user else None, action="login.failure",
                     target=f"user:{user.id}" if user else None, detail={"login": login[:254]}, ip=ip)
        session.commit()
        raise Unauthorized(WRONG_CREDENTIALS)
    rate_limits.clear_login_failures(account=account, ip=ip)
    audit.record(session, user_id=user.id, action="login.success", target=f"user:{user.id}", ip=ip)
    return user


def user_for_token(session: Session, *, token: str | None) -> User | None:
    """The user a session token belongs to; None when the token is missing, forged or
    expired, the account is gone, or the token was revoked (issued before the user's
    `tokens_valid_after`). Callers that need the user anyway pay nothing extra."""
    claims = read_token(token)
    if claims is None:
        return None
    user = session.get(User, claims.user_id)
    if user is None or issued_before(claims, user.tokens_valid_after):
        return None
    return user


def user_id_for_token(session: Session, *, token: str | None) -> int | None:
    """Like user_for_token, for callers that only need the id: one primary-key lookup of a
    single column, and no query at all for a token that fails its signature or expiry."""
    claims = read_token(token)
    if claims is None:
        return None
    found = session.connection().execute(_REVOCATION, {"user_id": claims.user_id}).first()
    if found is None or issued_before(claims, found.tokens_valid_after):
        return None
    return claims.user_id
