"""The bearer-token dependency: every route but register, login and health goes through
`CurrentUser`, which decodes the JWT and loads its user; anything else is 401 JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from workflow_chat.db import session_scope
from workflow_chat.models import User
from workflow_chat.services import accounts
from workflow_chat.services.errors import Unauthorized

# auto_error=False: a missing header reaches current_user, which answers in our error shape.
bearer = HTTPBearer(auto_error=False, description="The access_token from POST /api/v1/auth/login")

SIGN_IN = "Sign in first: send the token from /api/v1/auth/login as 'Authorization: Bearer <token>'."
EXPIRED = "Your session is not valid (expired, signed out or the account is gone): sign in again."


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The signed-in user; Unauthorized (401) for a missing, forged, expired or revoked token
    (a password change or "log out other sessions" since it was issued), or a token whose
    user has been deleted. The revocation check rides on the one query that loads the user."""
    if credentials is None:
        raise Unauthorized(SIGN_IN)
    with session_scope() as session:
        user = accounts.user_for_token(session, token=credentials.credentials)
    if user is None:
        raise Unauthorized(EXPIRED)
    return user


def client_ip(request: Request) -> str | None:
    """Where the request came from, for the audit log and the per-IP rate limits."""
    return request.client.host if request.client else None


CurrentUser = Annotated[User, Depends(current_user)]
ClientIP = Annotated[str | None, Depends(client_ip)]
