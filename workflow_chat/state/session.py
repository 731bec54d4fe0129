"""The signed-in user: the token lives in the browser, the check happens on the server."""

from __future__ import annotations

import asyncio

import reflex as rx

from workflow_chat import routes
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

    @rx.event
    async def require_login(self):
        """on_load guard for protected pages: verifies the token and loads the user's name."""
        user_id = self._user_id()
        user = None
        if user_id is not None:
            user = await asyncio.to_thread(_load_user, user_id)
        if user is None:
            self.token, self.username = "", ""
            return rx.redirect(routes.LOGIN, replace=True)
        self.username = user

    @rx.event
    def logout(self):
        self.reset()
        self.token = ""
        return rx.redirect(routes.LOGIN, replace=True)


def _load_user(user_id: int) -> str | None:
    with session_scope() as session:
        user = accounts.get_user(session, user_id=user_id)
        return user.username if user else None
