"""The project picker above the chat list: the user's projects, which one filters the chats,
and making a new project.

Every handler re-reads the user from the token; a project id from the browser only selects among
that user's own projects (the services filter by owner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import projects as project_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.workspace import WorkspaceState

ALL = "all"  # the picker's value for "All projects"


@dataclass
class ProjectItem:
    id: int = 0
    name: str = ""
    is_default: bool = False
    chat_count: int = 0
    value: str = ""  # the id as the picker's string value


class ProjectsState(WorkspaceState):
    projects: list[ProjectItem] = []
    new_project_open: bool = False
    new_project_error: str = ""

    @rx.var
    def picker_value(self) -> str:
        return str(self.project_filter) if self.project_filter else ALL

    @rx.event
    def load_projects(self):
        """on_load (after WorkspaceState.load): the picker's list; a filter on a project that
        is gone (deleted in another tab) falls back to all projects."""
        user_id = self._user_id()
        if user_id is None:
            return
        self._reload_projects(user_id)
        if self.project_filter and not any(p.id == self.project_filter for p in self.projects):
            self._show_project(user_id, 0)

    @rx.event
    def select_project(self, value: str):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer before switching projects.")
        self._reload_projects(user_id)
        wanted = 0 if value == ALL else int(value) if str(value).isdigit() else -1
        if wanted and not any(p.id == wanted for p in self.projects):
            self._show_project(user_id, 0)
            return rx.toast.error("That project does not exist.")
        self._show_project(user_id, wanted)

    @rx.event
    def set_new_project_open(self, open_: bool):
        self.new_project_open, self.new_project_error = bool(open_), ""

    @rx.event
    def create_project(self, form: dict[str, Any]):
        """Make the project and show it (empty) in the picker, ready for its first chat."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer first.")
        ip = self.router.session.client_ip or None
        try:
            with session_scope() as session:
                made = project_service.create_project(
                    session, user_id=user_id, name=str(form.get("name") or ""), ip=ip
                )
        except ServiceError as exc:
            self.new_project_error = str(exc)
            return
        self.new_project_open, self.new_project_error = False, ""
        self._reload_projects(user_id)
        self._show_project(user_id, made.id)
        return rx.toast.success(f"Project “{made.name}” created")

    def _reload_projects(self, user_id: int) -> None:
        with session_scope() as session:
            rows = project_service.list_projects(session, user_id=user_id)
        self.projects = [
            ProjectItem(id=p.id, name=p.name, is_default=p.is_default, chat_count=p.chat_count,
                        value=str(p.id))
            for p in rows
        ]

    def _show_project(self, user_id: int, project_id: int) -> None:
        """Filter the chat list by the project (0: all); the open chat stays open if it is
        listed, else the newest listed chat opens (or none)."""
        self.project_filter = project_id
        self._reload_chats(user_id)
        if not any(c.id == self.current_chat_id for c in self.chats):
            self._open(user_id, self.chats[0].id if self.chats else 0)
