"""Helpers for the REST API tests: the API prefix and signed-in users with their bearer header."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.accounts import make_user
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope

API = "/api/v1"


@dataclass(frozen=True)
class Caller:
    id: int
    name: str
    headers: dict[str, str]


def sign_in(name: str | None = None) -> Caller:
    """A new user (made directly: bcrypt's cost is not under test here) and their bearer header."""
    with session_scope() as session:
        user = make_user(session, name)
        user_id, username = user.id, user.username
    return Caller(id=user_id, name=username,  # type: ignore[arg-type]
                  headers={"Authorization": f"Bearer {issue_token(user_id)}"})  # type: ignore[arg-type]
