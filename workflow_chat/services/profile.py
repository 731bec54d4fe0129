"""A signed-in user's own account: read the profile, change the email, change the password,
log out other sessions (both revoke every token issued before)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.auth.passwords import (
    PasswordRejected,
    check_password_rules,
    hash_password,
    verify_password,
)
from workflow_chat.auth.tokens import whole_second
from workflow_chat.models import User
from workflow_chat.services import audit, rate_limits
from workflow_chat.services.accounts import EMAIL_RE
from workflow_chat.services.errors import Conflict, Invalid, NotFound, Unauthorized

WRONG_PASSWORD = "Your current password is not right."
EMAIL_TAKEN = "An account with that email already exists."


@dataclass(frozen=True)
class Profile:
    username: str
    email: str


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Your account no longer exists.")
    return user


def get_profile(session: Session, *, user_id: int) -> Profile:
    user = _user(session, user_id)
    return Profile(username=user.username, email=user.email)


def change_email(session: Session, *, user_id: int, email: str, ip: str | None = None) -> Profile:
    """Give the account a new email (lower-cased). Invalid when malformed, Conflict when
    another account has it; the same address again changes nothing."""
    user = _user(session, user_id)
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise Invalid("Please enter a valid email address.")
    if email == user.email:
        return Profile(username=user.username, email=user.email)
    taken = session.exec(select(User.id).where(User.email == email, User.id != user_id)).first()
    if taken is not None:
        raise Conflict(EMAIL_TAKEN)
    user.email = email
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # another account took it between the check and the write
        session.rollback()
        raise Conflict(EMAIL_TAKEN) from None
    audit.record(session, user_id=user_id, action="email.change", target=f"user:{user_id}", ip=ip)
    return Profile(username=user.username, email=user.email)


def change_password(
    session: Session, *, user_id: int, current: str, new: str, ip: str | None = None
) -> datetime:
    """Replace the password when `current` is right and `new` follows the registration rule
    (8–72 bytes), and revoke every session token issued before now. Returns the moment
    tokens are valid from: issue the caller's new token at it (tokens.issue_token(issued_at=))
    to keep the tab that changed the password signed in. A wrong current password counts as
    a failed login for the account (so a stolen session cannot guess faster than the login
    form allows) and raises Unauthorized; over that limit it raises RateLimited."""
    user = _user(session, user_id)
    account = f"user:{user_id}"  # the key accounts.authenticate counts failures under
    rate_limits.check_login(account=account, ip=ip, count_ip=False)
    if not verify_password(current or "", user.password_hash):
        rate_limits.record_login_failure(account=account, ip=ip)
        raise Unauthorized(WRONG_PASSWORD)
    try:
        check_password_rules(new or "")
    except PasswordRejected as exc:
        raise Invalid(str(exc)) from None
    if new == current:
        raise Invalid("The new password is the same as the current one.")
    user.password_hash = hash_password(new)
    valid_after = _revoke_tokens(session, user)
    audit.record(session, user_id=user_id, action="password.change", target=f"user:{user_id}", ip=ip)
    return valid_after


def log_out_other_sessions(session: Session, *, user_id: int, ip: str | None = None) -> datetime:
    """Revoke every token issued before now (audited as sessions.revoke); returns the moment
    tokens are valid from, for the caller's own new token (see change_password)."""
    valid_after = _revoke_tokens(session, _user(session, user_id))
    audit.record(session, user_id=user_id, action="sessions.revoke", target=f"user:{user_id}", ip=ip)
    return valid_after


def _revoke_tokens(session: Session, user: User) -> datetime:
    # Whole seconds, like a token's iat: a token issued at this very second stays valid.
    valid_after = whole_second(datetime.now(timezone.utc))
    user.tokens_valid_after = valid_after
    session.add(user)
    session.flush()
    return valid_after
