"""The workspace: the user's chats, the open chat's messages and its latest graph.

Every handler re-reads the user from the token and passes the id to a service, which filters by
owner; an id sent by the browser is never trusted on its own.
"""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from workflow_chat import routes
from workflow_chat.db import session_scope
from workflow_chat.graph.flow_view import flow_edges, flow_nodes, needs_layout, with_run_status
from workflow_chat.services import chats as chat_service
from workflow_chat.services import messages as message_service
from workflow_chat.services import projects as project_service
from workflow_chat.services import user_settings
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.services.chats import ChatSummary
from workflow_chat.services.workflows import VersionView
from workflow_chat.state.session import SessionState
from workflow_chat.state.workspace_items import (
    ChatItem, MessageItem, VersionItem, chat_item, message_item, version_item,
)


STALE_ANSWER_SECONDS = 600


class WorkspaceState(SessionState):
    chats: list[ChatItem] = []
    current_chat_id: int = 0
    current_title: str = ""
    messages: list[MessageItem] = []
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    workflow_name: str = ""
    version_number: int = 0
    versions: list[VersionItem] = []
    can_undo: bool = False
    can_redo: bool = False
    # Set while the canvas shows an older turn's graph instead of the current one.
    preview_version_id: int = 0
    highlight_ids: list[str] = []
    current_version_id: int = 0
    layout_nonce: int = 0
    sending: bool = False
    offline_planner: bool = True
    # The project picker (state/projects.py): 0 lists every project's chats, and new chats
    # then go into the default project; otherwise that project's chats only, and new ones there.
    project_filter: int = 0
    # When the current answer started: an answer still "sending" long after (the server
    # restarted mid-answer) is given up, and the unanswered question offers a retry.
    _sending_since: float = 0.0
    # Node id -> status of the run shown in the run view (state/runs.py): drawn on the canvas.
    _run_status: dict[str, str] = {}

    @rx.var
    def has_graph(self) -> bool:
        return len(self.nodes) > 0

    @rx.var
    def unanswered(self) -> bool:
        """The last message is the user's and nothing is answering it."""
        return bool(self.messages) and self.messages[-1].role == "user" and not self.sending

    @rx.event
    def logout(self):
        """Forget the token and everything shown, so the next account starts clean."""
        self.reset()
        self.token, self.username = "", ""
        return rx.redirect(routes.LOGIN, replace=True)

    def _signed_out(self):
        self.token, self.username = "", ""
        return rx.redirect(routes.LOGIN, replace=True)

    @rx.event
    def load(self):
        """on_load: check the user, then show their chats with the most recent one open."""
        signed_in = self._user()
        if signed_in is None:
            return self._signed_out()
        user_id, username = signed_in
        if username != self.username:
            self.reset()  # another account signed in on this tab: show none of the last one's data
        with session_scope() as session:  # the user's own model (Settings) or the server's
            self.offline_planner = not user_settings.uses_a_model(session, user_id=user_id)
        if self.sending and time.time() - self._sending_since > STALE_ANSWER_SECONDS:
            self.sending = False
        self._reload_chats(user_id)
        open_id = self.current_chat_id if any(c.id == self.current_chat_id for c in self.chats) else 0
        if not open_id and self.chats:
            open_id = self.chats[0].id
        self._open(user_id, open_id)
        self.username = username

    @rx.event
    def select_chat(self, chat_id: int):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer before switching chats.")
        try:
            self._open(user_id, int(chat_id))
        except (ServiceError, ValueError, TypeError):
            self._reload_chats(user_id)
            return rx.toast.error("That chat does not exist.")

    @rx.event
    def new_chat(self):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer first.")
        try:
            with session_scope() as session:
                chat_id = chat_service.create_chat(
                    session, user_id=user_id, project_id=self.project_filter or None
                ).id
        except ServiceError:  # the picked project was deleted in another tab
            self.project_filter = 0
            self._reload_chats(user_id)
            return rx.toast.error("That project no longer exists: showing all projects.")
        self._reload_chats(user_id)
        self._open(user_id, chat_id)  # type: ignore[arg-type]
        return rx.set_focus("composer")

    @rx.event
    def move_chat(self, chat_id: int, project_id: int):
        """Put one of the user's chats into another of their projects; with a project picked,
        the chat leaves the list (and, if it was open, the newest listed chat opens)."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending and chat_id == self.current_chat_id:
            return rx.toast.info("Please wait for the answer before moving this chat.")
        try:
            with session_scope() as session:
                chat_service.move_chat(session, user_id=user_id, chat_id=int(chat_id),
                                       project_id=int(project_id),
                                       ip=self.router.session.client_ip or None)
                name = project_service.owned_project(
                    session, user_id=user_id, project_id=int(project_id)).name
        except (ServiceError, ValueError, TypeError):
            self._reload_chats(user_id)
            return rx.toast.error("That chat or project does not exist.")
        self._reload_chats(user_id)
        if not any(c.id == self.current_chat_id for c in self.chats):
            self._open(user_id, self.chats[0].id if self.chats else 0)
        return rx.toast.success(f"Moved to {name}")

    @rx.event
    def save_positions(self, positions: list[dict[str, Any]]):
        """Positions from the canvas (after auto-layout or a drag) on the current graph."""
        user_id = self._user_id()
        if user_id is None or not self.current_chat_id:
            return
        try:
            with session_scope() as session:
                version = workflow_service.save_positions(
                    session, user_id=user_id, chat_id=self.current_chat_id, positions=positions
                )
                graph = version.graph if version else None
        except ServiceError:
            return
        if graph:
            self.nodes = with_run_status(flow_nodes(graph), self._run_status)

    @rx.event
    def relayout(self):
        if self.nodes:
            self.layout_nonce += 1

    def _reload_chats(self, user_id: int) -> None:
        with session_scope() as session:
            rows = chat_service.list_chats(
                session, user_id=user_id, project_id=self.project_filter or None
            )
        self.chats = [chat_item(r) for r in rows]
        for chat in self.chats:
            if chat.id == self.current_chat_id:
                self.current_title = chat.title

    def _reload_messages(self, user_id: int) -> None:
        with session_scope() as session:
            rows = message_service.list_messages(
                session, user_id=user_id, chat_id=self.current_chat_id
            )
        self.messages = [message_item(m) for m in rows]

    def _show_chat_activity(self, chat: ChatSummary) -> None:
        """A chat that just had a message, at the top of the list (most recent first), as the
        next read of the list would show it; a chat not listed yet (just made) is added."""
        self.chats = [chat_item(chat), *(c for c in self.chats if c.id != chat.id)]
        if chat.id == self.current_chat_id:
            self.current_title = chat.title

    def _show_new_version(self, version: VersionView, graph: dict[str, Any]) -> None:
        """A version just made from the current one: it is current, undo goes back to its
        parent and nothing is left to redo, as `_reload_graph` would read it back."""
        self._show_graph(graph, version.number)
        self.current_version_id = version.id
        self.can_undo, self.can_redo = version.parent_id is not None, False
        self.versions = [
            version_item(version, current=True),
            *(VersionItem(id=v.id, number=v.number, label=v.label, when=v.when, current=False)
              for v in self.versions),
        ]

    def _open(self, user_id: int, chat_id: int) -> None:
        """Show a chat (0 shows nothing). Raises NotFound for someone else's chat."""
        self.preview_version_id, self.highlight_ids = 0, []
        if chat_id != self.current_chat_id:
            self._run_status = {}  # the run shown belongs to the chat being left
        if not chat_id:
            self.current_chat_id, self.current_title, self.messages = 0, "", []
            self._show_graph(None)
            self.versions, self.can_undo, self.can_redo = [], False, False
            self.current_version_id = 0
            return
        with session_scope() as session:
            chat = chat_service.owned_chat(session, user_id=user_id, chat_id=chat_id)
            self.current_chat_id, self.current_title = chat_id, chat.title
        self._reload_messages(user_id)
        self._reload_graph(user_id)

    def _reload_graph(self, user_id: int) -> None:
        """The current version on the canvas, the version list and what undo/redo can do."""
        with session_scope() as session:
            chat = chat_service.owned_chat(session, user_id=user_id, chat_id=self.current_chat_id)
            version = workflow_service.current_version(
                session, user_id=user_id, chat_id=self.current_chat_id
            )
            self._show_graph(version.graph if version else None, version.number if version else 0)
            self.current_version_id = version.id if version else 0
            self.can_undo = workflow_service.undo_target(session, chat) is not None
            self.can_redo = workflow_service.redo_target(session, chat) is not None
            rows = workflow_service.list_versions(
                session, user_id=user_id, chat_id=self.current_chat_id
            )
        self.versions = [version_item(v, current=version is not None and v.id == version.id)
                         for v in rows]

    def _show_graph(self, graph: dict[str, Any] | None, number: int = 0) -> None:
        nodes = flow_nodes(graph, highlight=self.highlight_ids) if graph else []
        self.nodes = with_run_status(nodes, self._run_status) if self._run_status else nodes
        self.edges = flow_edges(graph) if graph else []
        self.workflow_name = graph.get("name", "") if graph else ""
        self.version_number = number
        if graph and needs_layout(graph):
            self.layout_nonce += 1
