"""The Secrets dialog: the user's secret names with dates; add, replace, delete.

A value reaches the server once, in the form's submit event, and goes straight to the
credentials service: it is never kept in a var, so no state delta can send it back to the
browser. Every handler re-reads the user from the token; a name from the browser only selects
among that user's own secrets (the service filters by owner).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import credentials
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.run_items import iso
from workflow_chat.state.workspace import WorkspaceState
from workflow_chat.vault.keys import MasterKeyError

log = logging.getLogger(__name__)
NO_MASTER_KEY = ("Secrets cannot be saved: the server has no master key configured "
                 "(WFC_MASTER_KEYS). Ask whoever runs this server.")


@dataclass
class SecretItem:
    name: str = ""
    hint: str = ""
    created: str = ""  # ISO times in UTC; the browser shows them in its own time zone
    updated: str = ""
    used: str = ""  # "" when no run has used it yet


class SecretsState(WorkspaceState):
    secrets_open: bool = False
    secret_items: list[SecretItem] = []
    # "add" shows the name and value fields, "replace" the value field for `secret_target`.
    secret_form: str = ""
    secret_target: str = ""
    secret_error: str = ""
    secret_confirm: str = ""  # the name whose delete awaits confirmation

    @rx.event
    def set_secrets_open(self, open_: bool):
        """Open with a fresh list, or close (Esc, the close button) and forget what was shown."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.secret_form = self.secret_target = self.secret_error = self.secret_confirm = ""
        self.secrets_open = bool(open_)
        self.secret_items = []
        if self.secrets_open:
            self._reload_secrets(user_id)

    @rx.event
    def start_add(self):
        self.secret_form, self.secret_target, self.secret_error, self.secret_confirm = "add", "", "", ""

    @rx.event
    def start_replace(self, name: str):
        self.secret_form, self.secret_target, self.secret_error, self.secret_confirm = "replace", name, "", ""

    @rx.event
    def cancel_form(self):
        self.secret_form, self.secret_target, self.secret_error = "", "", ""

    @rx.event
    def save_secret(self, form: dict[str, Any]):
        """Store the submitted value (a new secret, or the target's new value); on success the
        form closes, which empties its value field."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        value = str(form.get("value") or "")
        try:
            with session_scope() as session:
                if self.secret_form == "replace":
                    saved = credentials.replace_value(session, user_id=user_id,
                                                      name=self.secret_target, value=value)
                else:
                    saved = credentials.create_credential(session, user_id=user_id,
                                                          name=str(form.get("name") or ""), value=value)
        except ServiceError as exc:
            self.secret_error = str(exc)
            return
        except MasterKeyError as exc:
            log.error("a secret could not be saved: %s", exc)
            self.secret_error = NO_MASTER_KEY
            return
        verb = "replaced" if self.secret_form == "replace" else "saved"
        self.secret_form, self.secret_target, self.secret_error = "", "", ""
        self._reload_secrets(user_id)
        return rx.toast.success(f"{saved.name} {verb}")

    @rx.event
    def ask_delete_secret(self, name: str):
        self.secret_confirm, self.secret_form, self.secret_target, self.secret_error = name, "", "", ""

    @rx.event
    def cancel_delete_secret(self):
        self.secret_confirm = ""

    @rx.event
    def delete_secret(self):
        user_id, name = self._user_id(), self.secret_confirm
        self.secret_confirm = ""
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                credentials.delete_credential(session, user_id=user_id, name=name)
        except ServiceError as exc:
            self.secret_error = str(exc)
        self._reload_secrets(user_id)

    def _reload_secrets(self, user_id: int) -> None:
        with session_scope() as session:
            rows = credentials.list_credentials(session, user_id=user_id)
        self.secret_items = [
            SecretItem(name=r.name, hint=r.hint, created=iso(r.created_at), updated=iso(r.updated_at),
                       used=iso(r.last_used_at))
            for r in rows
        ]
