"""The signed-in user: the token lives in the browser, the check happens on the server."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from workflow_chat.db import session_scope
from workflow_chat.services import accounts


class SessionState(rx.State):
    """Base of every state that touches user data: handlers get the user from `_user_id()`."""

    token: str = rx.LocalStorage("", name="wc_token", sync=True)
    username: str = ""

    def _user_id(self, session: Session | None = None) -> int | None:
        """The verified user id for this request, or None (missing, forged, expired or revoked
        token, or the account is gone). A forged or expired token costs no query; a good one
        costs one primary-key lookup, which is how a password change elsewhere logs this tab
        out at its next event. With `session`, the lookup joins the caller's transaction."""
        if not self.token:
            return None
        if session is not None:
            return accounts.user_id_for_token(session, token=self.token)
        with session_scope() as own:
            return accounts.user_id_for_token(own, token=self.token)

    def _user(self) -> tuple[int, str] | None:
        """Like `_user_id`, with the username too, in the same one query."""
        if not self.token:
            return None
        with session_scope() as session:
            user = accounts.user_for_token(session, token=self.token)
            return (user.id, user.username) if user else None  # type: ignore[return-value]

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.username)

