"""Login and registration forms: call the accounts service, store the token on success. The
pages ask the server on load whether anyone may register (ALLOW_REGISTRATION)."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from workflow_chat import routes
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.services import accounts
from workflow_chat.services.errors import Forbidden, ServiceError
from workflow_chat.settings import registration_allowed
from workflow_chat.state.session import SessionState


class AuthFormState(SessionState):
    error_message: str = ""
    busy: bool = False
    # Read from the server on load (a static export cannot know it when it is built).
    registration_open: bool = True

    @rx.event
    def clear_error(self):
        self.error_message = ""

    @rx.event
    async def redirect_if_signed_in(self):
        """on_load of the login and register pages."""
        self.registration_open = registration_allowed()
        if self._user_id() is not None:
            return rx.redirect(routes.WORKSPACE, replace=True)

    @rx.event
    async def login(self, form: dict[str, Any]):
        login, password = str(form.get("login", "")), str(form.get("password", ""))
        if not login.strip() or not password:
            self.error_message = "Enter your username or email and your password."
            return
        self.busy = True
        yield
        try:
            user_id = await asyncio.to_thread(_authenticate, login, password,
                                              self.router.session.client_ip or None)
        except ServiceError as exc:
            self.error_message, self.busy = str(exc), False
            return
        yield self._signed_in(user_id)

    @rx.event
    async def register(self, form: dict[str, Any]):
        # The service refuses too; asking first spares a closed server the form's checks. The
        # page then shows its "registration is closed" note in place of the form.
        self.registration_open = registration_allowed()
        if not self.registration_open:
            self.error_message = ""
            return
        if form.get("password") != form.get("confirm"):
            self.error_message = "The two passwords do not match."
            return
        self.busy = True
        yield
        try:
            user_id = await asyncio.to_thread(
                _register,
                str(form.get("username", "")),
                str(form.get("email", "")),
                str(form.get("password", "")),
            )
        except ServiceError as exc:
            self.error_message, self.busy = str(exc), False
            if isinstance(exc, Forbidden):  # closed between the check and the write
                self.error_message, self.registration_open = "", False
            return
        yield self._signed_in(user_id)

    def _signed_in(self, user_id: int):
        self.token = issue_token(user_id)
        self.error_message, self.busy = "", False
        return rx.redirect(routes.WORKSPACE, replace=True)


def _authenticate(login: str, password: str, ip: str | None) -> int:
    with session_scope() as session:
        return accounts.authenticate(session, login=login, password=password, ip=ip).id  # type: ignore[return-value]


def _register(username: str, email: str, password: str) -> int:
    with session_scope() as session:
        return accounts.register(
            session, username=username, email=email, password=password
        ).id  # type: ignore[return-value]
