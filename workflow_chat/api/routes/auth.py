"""/auth: register, log in (a bearer JWT), and who am I."""

from __future__ import annotations

from fastapi import APIRouter

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.schemas_auth import LoginRequest, TokenPublic, UserCreate, UserPublic
from workflow_chat.auth.tokens import issue_token, token_lifetime
from workflow_chat.db import session_scope
from workflow_chat.services import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=201, response_model=UserPublic,
             responses=errors(400, 403, 409, 422))
def register(body: UserCreate) -> UserPublic:
    """Create an account (then log in for a token). 409 when the username or email is taken;
    403 with code `registration_closed` when the server does not take sign-ups
    (ALLOW_REGISTRATION=0)."""
    with session_scope() as session:
        user = accounts.register(session, username=body.username, email=body.email,
                                 password=body.password.get_secret_value())
        return UserPublic.model_validate(user)


@router.post("/login", response_model=TokenPublic, responses=errors(400, 401, 422, 429))
def login(body: LoginRequest, ip: ClientIP) -> TokenPublic:
    """A bearer token for the username or email and password; 401 when they do not match,
    429 (with Retry-After) after too many attempts."""
    with session_scope() as session:
        user = accounts.authenticate(session, login=body.login,
                                     password=body.password.get_secret_value(), ip=ip)
        user_id = user.id
    lifetime = token_lifetime()
    return TokenPublic(access_token=issue_token(user_id, lifetime=lifetime),  # type: ignore[arg-type]
                       expires_in=int(lifetime.total_seconds()))


@router.get("/me", response_model=UserPublic, responses=errors(401))
def me(user: CurrentUser) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(user)
