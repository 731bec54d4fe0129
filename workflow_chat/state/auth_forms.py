"""Login and registration forms: call the accounts service, store the token on success."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from workflow_chat import routes
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.services import accounts
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.session import SessionState


class AuthFormState(SessionState):
    error_message: str = ""
    busy: bool = False

    @rx.event
    def clear_error(self):
        self.error_message = ""

    @rx.event
    async def redirect_if_signed_in(self):
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
