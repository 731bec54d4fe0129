"""The settings page: profile, password, language model and theme, for the signed-in user.

Passwords and the API key reach the server once, in a form's submit event, and go straight to
a service: no var holds them, so no state delta can send them back to the browser.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import reflex as rx

from workflow_chat import routes
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.services import profile, user_settings
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.secrets import NO_MASTER_KEY
from workflow_chat.state.session import SessionState
from workflow_chat.vault.keys import MasterKeyError

log = logging.getLogger(__name__)
SERVER_MODEL = "server"  # the provider select's value for "the server's model" (Radix needs one)
PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")


class ThemeState(SessionState):
    """The user's saved colour theme; components/settings_theme_sync.py applies it."""

    theme: str = ""  # "" until loaded, then light | dark | system

    @rx.event
    def load_theme(self):
        user_id = self._user_id()
        if user_id is not None:
            with session_scope() as session:
                self.theme = user_settings.get_theme(session, user_id=user_id)


class SettingsState(ThemeState):
    email: str = ""
    profile_error: str = ""
    password_error: str = ""
    password_busy: bool = False
    llm_provider: str = SERVER_MODEL
    llm_model: str = ""
    llm_base_url: str = ""
    llm_has_key: bool = False
    llm_error: str = ""

    @rx.event
    def load(self):
        """on_load: check the user, then show what is saved."""
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        try:
            with session_scope() as session:
                shown = profile.get_profile(session, user_id=user_id)
                choice = user_settings.get_llm_choice(session, user_id=user_id)
                self.theme = user_settings.get_theme(session, user_id=user_id)
        except ServiceError:  # the account is gone
            return self._to_login()
        self.username, self.email = shown.username, shown.email
        self.profile_error = self.password_error = self.llm_error = ""
        self._show_choice(choice)

    def _to_login(self):
        self.token, self.username = "", ""
        return rx.redirect(routes.LOGIN, replace=True)

    def _show_choice(self, choice: user_settings.LLMChoice) -> None:
        self.llm_provider = choice.provider or SERVER_MODEL
        self.llm_model, self.llm_base_url, self.llm_has_key = choice.model, choice.base_url, choice.has_key

    @rx.event
    def save_email(self, form: dict[str, Any]):
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        try:
            with session_scope() as session:
                saved = profile.change_email(session, user_id=user_id, email=str(form.get("email") or ""),
                                             ip=self.router.session.client_ip or None)
        except ServiceError as exc:
            self.profile_error = str(exc)
            return
        self.email, self.profile_error = saved.email, ""
        return rx.toast.success("Email saved")

    @rx.event
    async def change_password(self, form: dict[str, Any]):
        user_id = self._user_id()
        if user_id is None:
            yield self._to_login()
            return
        current, new = str(form.get("current_password") or ""), str(form.get("new_password") or "")
        if new != str(form.get("confirm_password") or ""):
            self.password_error = "The two new passwords do not match."
            return
        self.password_busy = True
        yield
        try:
            # bcrypt takes a good part of a second twice: off the event loop.
            valid_after = await asyncio.to_thread(_change_password, user_id, current, new,
                                                  self.router.session.client_ip or None)
        except ServiceError as exc:
            self.password_error, self.password_busy = str(exc), False
            return
        # Every older token is now refused; this tab gets one issued at the cut-off second.
        self.token = issue_token(user_id, issued_at=valid_after)
        self.password_error, self.password_busy = "", False
        yield [*(rx.set_value(name, "") for name in PASSWORD_FIELDS),
               rx.toast.success("Password changed; other sessions are logged out")]

    @rx.event
    def log_out_other_sessions(self):
        """Revoke every token but a fresh one for this tab (other browsers, devices, API
        clients); no password needed, since it only takes access away."""
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        try:
            with session_scope() as session:
                valid_after = profile.log_out_other_sessions(
                    session, user_id=user_id, ip=self.router.session.client_ip or None)
        except ServiceError:  # the account is gone
            return self._to_login()
        self.token = issue_token(user_id, issued_at=valid_after)
        self.password_error = ""
        return rx.toast.success("Other sessions are logged out")

    @rx.event
    def clear_password_error(self):
        self.password_error = ""

    @rx.event
    def set_llm_provider(self, provider: str):
        self.llm_provider, self.llm_error = provider, ""

    @rx.event
    def save_llm(self, form: dict[str, Any]):
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        provider = "" if self.llm_provider == SERVER_MODEL else self.llm_provider
        try:
            with session_scope() as session:
                choice = user_settings.save_llm_choice(
                    session, user_id=user_id, provider=provider,
                    model=str(form.get("model") or ""), base_url=str(form.get("base_url") or ""),
                    api_key=str(form.get("api_key") or ""), ip=self.router.session.client_ip or None,
                )
        except ServiceError as exc:
            self.llm_error = str(exc)
            return
        except MasterKeyError as exc:
            log.error("an LLM key could not be saved: %s", exc)
            self.llm_error = NO_MASTER_KEY
            return
        self.llm_error = ""
        self._show_choice(choice)
        return [rx.set_value("llm_api_key", ""), rx.toast.success("Language model saved")]

    @rx.event
    def remove_llm_key(self):
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        with session_scope() as session:
            self._show_choice(user_settings.remove_llm_key(
                session, user_id=user_id, ip=self.router.session.client_ip or None))
        return rx.toast.success("API key removed")

    @rx.event
    def save_theme(self, theme: str | list[str]):
        user_id = self._user_id()
        if user_id is None:
            return self._to_login()
        try:
            with session_scope() as session:
                self.theme = user_settings.set_theme(session, user_id=user_id, theme=str(theme))
        except ServiceError as exc:
            return rx.toast.error(str(exc))


def _change_password(user_id: int, current: str, new: str, ip: str | None) -> datetime:
    with session_scope() as session:
        return profile.change_password(session, user_id=user_id, current=current, new=new, ip=ip)
