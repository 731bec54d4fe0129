"""The project settings dialog (opened from the project picker): rename or delete the project,
and its system prompts: add, edit, delete, and choose the active one (or none).

Every handler re-reads the user from the token; ids from the browser only select among that
user's own projects and prompts (the services filter by owner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import projects as project_service
from workflow_chat.services import prompts as prompt_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.projects import ProjectsState

PREVIEW = 160  # characters of a prompt's text shown in the list


@dataclass
class PromptItem:
    id: int = 0
    name: str = ""
    preview: str = ""
    is_active: bool = False


class PromptsState(ProjectsState):
    settings_open: bool = False
    managed_id: int = 0  # the project the dialog shows
    managed_name: str = ""
    managed_default: bool = False
    managed_chats: int = 0
    project_error: str = ""
    confirm_project_delete: bool = False
    prompt_items: list[PromptItem] = []
    # "add" or "edit" shows the prompt form; its fields start from prompt_name/prompt_text.
    prompt_form: str = ""
    prompt_form_id: int = 0
    prompt_name: str = ""
    prompt_text: str = ""
    prompt_error: str = ""
    confirm_prompt_delete: int = 0

    @rx.var
    def prompt_form_key(self) -> str:
        """Changes whenever the form should start afresh (its fields are uncontrolled)."""
        return f"{self.prompt_form}-{self.prompt_form_id}"

    @rx.event
    def set_settings_open(self, open_: bool):
        """Open on the picked project (the default one under "All projects"), or close."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.settings_open = bool(open_)
        self._reset_forms()
        if self.settings_open:
            with session_scope() as session:
                default_id = project_service.default_project(session, user_id=user_id).id
            self._manage(user_id, self.project_filter or default_id)  # type: ignore[arg-type]

    @rx.event
    def manage_project(self, value: str):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self._reset_forms()
        self._manage(user_id, int(value) if str(value).isdigit() else 0)

    @rx.event
    def rename_project(self, form: dict[str, Any]):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                project_service.rename_project(session, user_id=user_id, project_id=self.managed_id,
                                               name=str(form.get("name") or ""))
        except ServiceError as exc:
            self.project_error = str(exc)
            return
        self.project_error = ""
        self._reload_projects(user_id)
        self._manage(user_id, self.managed_id)
        return rx.toast.success("Project renamed")

    @rx.event
    def ask_delete_project(self, yes: bool):
        self.confirm_project_delete, self.project_error = bool(yes), ""

    @rx.event
    def delete_project(self):
        user_id, project_id = self._user_id(), self.managed_id
        self.confirm_project_delete = False
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer first.")
        ip = self.router.session.client_ip or None
        try:
            with session_scope() as session:
                gone = project_service.delete_project(session, user_id=user_id,
                                                      project_id=project_id, ip=ip)
        except ServiceError as exc:
            self.project_error = str(exc)
            return
        name = self.managed_name
        self._reload_projects(user_id)
        self._show_project(user_id, 0 if self.project_filter == project_id else self.project_filter)
        self.settings_open = False
        self._reset_forms()
        chats = "1 chat" if gone == 1 else f"{gone} chats"
        return rx.toast.success(f"Project “{name}” and {chats} deleted")

    @rx.event
    def start_prompt(self, prompt_id: int):
        """Open the form: empty for a new prompt (0), else filled with that prompt."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self._reset_forms()
        if not prompt_id:
            self.prompt_form = "add"
            return
        try:
            with session_scope() as session:
                prompt = prompt_service.get_prompt(session, user_id=user_id, prompt_id=prompt_id)
        except ServiceError as exc:
            self.prompt_error = str(exc)
            self._reload_prompts(user_id)
            return
        self.prompt_form, self.prompt_form_id = "edit", prompt.id
        self.prompt_name, self.prompt_text = prompt.name, prompt.text

    @rx.event
    def cancel_prompt(self):
        self._reset_forms()

    @rx.event
    def save_prompt(self, form: dict[str, Any]):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        name, text = str(form.get("name") or ""), str(form.get("text") or "")
        try:
            with session_scope() as session:
                if self.prompt_form == "edit":
                    prompt_service.update_prompt(session, user_id=user_id,
                                                 prompt_id=self.prompt_form_id, name=name, text=text)
                else:
                    prompt_service.create_prompt(
                        session, user_id=user_id, project_id=self.managed_id, name=name, text=text,
                        active=bool(form.get("active")),
                    )
        except ServiceError as exc:  # the form stays open with what was typed
            self.prompt_error = str(exc)
            return
        self._reset_forms()
        self._reload_prompts(user_id)

    @rx.event
    def activate_prompt(self, prompt_id: int):
        """Make the prompt active; 0 leaves the project with none active."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                if prompt_id:
                    prompt_service.activate_prompt(session, user_id=user_id, prompt_id=prompt_id)
                else:
                    prompt_service.clear_active_prompt(session, user_id=user_id,
                                                       project_id=self.managed_id)
        except ServiceError as exc:
            self.prompt_error = str(exc)
        self._reload_prompts(user_id)

    @rx.event
    def ask_delete_prompt(self, prompt_id: int):
        self._reset_forms()
        self.confirm_prompt_delete = prompt_id if isinstance(prompt_id, int) else 0

    @rx.event
    def delete_prompt(self):
        user_id, prompt_id = self._user_id(), self.confirm_prompt_delete
        self.confirm_prompt_delete = 0
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                prompt_service.delete_prompt(session, user_id=user_id, prompt_id=prompt_id)
        except ServiceError as exc:
            self.prompt_error = str(exc)
        self._reload_prompts(user_id)

    def _manage(self, user_id: int, project_id: int) -> None:
        with session_scope() as session:
            try:
                project = project_service.get_project(session, user_id=user_id,
                                                      project_id=project_id)
            except ServiceError:  # gone, or not the user's: the default project instead
                default = project_service.default_project(session, user_id=user_id)
                project = project_service.get_project(session, user_id=user_id,
                                                      project_id=default.id)  # type: ignore[arg-type]
        self.managed_id, self.managed_name = project.id, project.name
        self.managed_default, self.managed_chats = project.is_default, project.chat_count
        self._reload_prompts(user_id)

    def _reload_prompts(self, user_id: int) -> None:
        try:
            with session_scope() as session:
                rows = prompt_service.list_prompts(session, user_id=user_id,
                                                   project_id=self.managed_id)
        except ServiceError:
            rows = []
        self.prompt_items = [
            PromptItem(id=p.id, name=p.name, is_active=p.is_active,
                       preview=p.text if len(p.text) <= PREVIEW else p.text[:PREVIEW - 1] + "…")
            for p in rows
        ]

    def _reset_forms(self) -> None:
        self.prompt_form, self.prompt_form_id, self.prompt_error = "", 0, ""
        self.prompt_name = self.prompt_text = self.project_error = ""
        self.confirm_project_delete, self.confirm_prompt_delete = False, 0
