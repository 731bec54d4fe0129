"""The signed-in user: the token lives in the browser, the check happens on the server."""

from __future__ import annotations

import reflex as rx

from workflow_chat.auth.tokens import user_id_from_token
from workflow_chat.db import session_scope
from workflow_chat.services import accounts


class SessionState(rx.State):
    """Base of every state that touches user data: handlers get the user from `_user_id()`."""

    token: str = rx.LocalStorage("", name="wc_token", sync=True)
    username: str = ""

    def _user_id(self) -> int | None:
        """The verified user id for this request, or None (missing, forged or expired token)."""
        return user_id_from_token(self.token)

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.username)


def user_name(user_id: int) -> str | None:
    """The username of an existing account (None once the account is gone)."""
    with session_scope() as session:
        user = accounts.get_user(session, user_id=user_id)
        return user.username if user else None
