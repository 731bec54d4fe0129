"""Signed session tokens (JWT, HS256) that carry the user id and an expiry."""

from __future__ import annotations

import logging
import os
import secrets
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


def issue_token(user_id: int, *, lifetime: timedelta | None = None) -> str:
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "iat": now, "exp": now + (lifetime or token_lifetime())}
    return jwt.encode(claims, signing_secret(), algorithm=ALGORITHM)


def user_id_from_token(token: str | None) -> int | None:
    """The user id of a valid, unexpired token; None for a missing, forged or expired one."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, signing_secret(), algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
