"""Signed session tokens (JWT, HS256) that carry the user id, when they were issued and an
expiry. A token is revoked by moving the user's `tokens_valid_after` past its `iat`
(`issued_before`); the check against the database lives in services/accounts.py."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import jwt

from workflow_chat.local_secret import read_or_create
from workflow_chat.settings import data_dir, is_production

log = logging.getLogger(__name__)
ALGORITHM = "HS256"
DEFAULT_EXPIRY_DAYS = 7.0


class SecretMissing(RuntimeError):
    """Production needs JWT_SECRET; a generated one would log everyone out on each deploy."""


@lru_cache(maxsize=1)
def signing_secret() -> str:
    """JWT_SECRET, or in development a generated secret kept in the data directory."""
    configured = os.environ.get("JWT_SECRET")
    if configured:
        return configured
    if is_production():
        raise SecretMissing("JWT_SECRET must be set when WORKFLOW_CHAT_ENV=production")
    path = data_dir() / "jwt_secret"
    secret, created = read_or_create(path, lambda: secrets.token_urlsafe(48))
    if created:
        log.warning("JWT_SECRET is not set: generated a development secret in %s", path)
    return secret


def token_lifetime() -> timedelta:
    return timedelta(days=float(os.environ.get("JWT_EXPIRY_DAYS", DEFAULT_EXPIRY_DAYS)))


def whole_second(moment: datetime) -> datetime:
    """`moment` without its fraction: what a token's `iat` can say (JWT times are seconds)."""
    return moment.replace(microsecond=0)


def issue_token(
    user_id: int, *, lifetime: timedelta | None = None, issued_at: datetime | None = None
) -> str:
    """A token for `user_id`. `issued_at` (default now) lets the caller give the token the
    exact second it stored as the user's `tokens_valid_after`, so the new token stays valid."""
    now = issued_at or datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "iat": now, "exp": now + (lifetime or token_lifetime())}
    return jwt.encode(claims, signing_secret(), algorithm=ALGORITHM)


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    issued_at: int  # seconds since the epoch; 0 for a token without `iat`


def read_token(token: str | None) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None for a missing, forged or expired one.
    Revocation is not checked here (it needs the database)."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, signing_secret(), algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return TokenClaims(user_id=int(claims["sub"]), issued_at=int(claims.get("iat", 0)))
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


def issued_before(claims: TokenClaims, valid_after: datetime | None) -> bool:
    """True when the token predates `valid_after` (a password change or "log out other
    sessions"), so it must be refused. Both sides are whole seconds: a token issued in the
    very second of the revocation stays valid, which is what keeps the revoking tab signed in."""
    if valid_after is None:
        return False
    if valid_after.tzinfo is None:  # stored in UTC; a driver may hand it back naive
        valid_after = valid_after.replace(tzinfo=timezone.utc)
    return claims.issued_at < int(valid_after.timestamp())

