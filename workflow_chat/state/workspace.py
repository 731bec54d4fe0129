"""The workspace: the user's chats, the open chat's messages and its latest graph.

Every handler re-reads the user from the token and passes the id to a service, which filters by
owner; an id sent by the browser is never trusted on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import reflex as rx

from workflow_chat import routes
from workflow_chat.db import session_scope
from workflow_chat.graph.flow_view import flow_edges, flow_nodes, needs_layout
from workflow_chat.llm.settings import load_llm_settings
from workflow_chat.services import chats as chat_service
from workflow_chat.services import messages as message_service
from workflow_chat.services import turns
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.session import SessionState, user_name


@dataclass
class ChatItem:
    id: int
    title: str
    when: str


@dataclass
class MessageItem:
    id: int
    role: str
    content: str
    status: str
    has_workflow: bool


def _when(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    now = datetime.now(timezone.utc)
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%b %d").replace(" 0", " ")


class WorkspaceState(SessionState):
    chats: list[ChatItem] = []
    current_chat_id: int = 0
    current_title: str = ""
    messages: list[MessageItem] = []
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    workflow_name: str = ""
    version_number: int = 0
    layout_nonce: int = 0
    sending: bool = False
    offline_planner: bool = True

    @rx.var
    def has_graph(self) -> bool:
        return len(self.nodes) > 0

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
        user_id = self._user_id()
        username = user_name(user_id) if user_id is not None else None
        if user_id is None or username is None:
            return self._signed_out()
        if username != self.username:
            self.reset()  # another account signed in on this tab: show none of the last one's data
        self.offline_planner = not load_llm_settings().configured
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
        with session_scope() as session:
            chat_id = chat_service.create_chat(session, user_id=user_id).id
        self._reload_chats(user_id)
        self._open(user_id, chat_id)  # type: ignore[arg-type]
        return rx.set_focus("composer")

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
            self.nodes = flow_nodes(graph)

    @rx.event
    def relayout(self):
        if self.nodes:
            self.layout_nonce += 1

    @rx.event
    def start_turn(self, form: dict[str, Any]):
        """Store the question, then answer in the background (the page stays responsive).

        A refused message stays in the composer: it is cleared only once it is stored.
        """
        text = str(form.get("message", ""))
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return
        try:
            if not self.current_chat_id:
                message_service.check_message_text(text)
                with session_scope() as session:
                    self.current_chat_id = chat_service.create_chat(session, user_id=user_id).id  # type: ignore[assignment]
            turns.record_question(user_id=user_id, chat_id=self.current_chat_id, content=text)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.sending = True
        self._reload_chats(user_id)
        self._reload_messages(user_id)
        return [rx.set_value("composer", ""), WorkspaceState.answer]

    @rx.event
    def retry(self):
        if self.sending or not self.current_chat_id or self._user_id() is None:
            return
        self.sending = True
        self.messages = [m for m in self.messages if m.status != "error"]
        return WorkspaceState.answer

    @rx.event(background=True)
    async def answer(self):
        async with self:
            user_id, chat_id = self._user_id(), self.current_chat_id
        if user_id is None or not chat_id:
            async with self:
                self.sending = False
            return
        try:
            await turns.answer(user_id=user_id, chat_id=chat_id)
        except ServiceError:
            pass  # the chat was deleted meanwhile; nothing to show
        async with self:
            self.sending = False
            if self.current_chat_id == chat_id:
                self._open(user_id, chat_id)
            self._reload_chats(user_id)

    def _reload_chats(self, user_id: int) -> None:
        with session_scope() as session:
            rows = chat_service.list_chats(session, user_id=user_id)
        self.chats = [ChatItem(id=r.id, title=r.title, when=_when(r.updated_at)) for r in rows]
        for chat in self.chats:
            if chat.id == self.current_chat_id:
                self.current_title = chat.title

    def _reload_messages(self, user_id: int) -> None:
        with session_scope() as session:
            rows = message_service.list_messages(
                session, user_id=user_id, chat_id=self.current_chat_id
            )
        self.messages = [
            MessageItem(id=m.id, role=m.role, content=m.content, status=m.status,
                        has_workflow=m.has_workflow)
            for m in rows
        ]

    def _open(self, user_id: int, chat_id: int) -> None:
        """Show a chat (0 shows nothing). Raises NotFound for someone else's chat."""
        if not chat_id:
            self.current_chat_id, self.current_title, self.messages = 0, "", []
            self._show_graph(None)
            return
        with session_scope() as session:
            chat = chat_service.owned_chat(session, user_id=user_id, chat_id=chat_id)
            version = workflow_service.latest_version(session, user_id=user_id, chat_id=chat_id)
            title, graph = chat.title, (version.graph if version else None)
            number = version.number if version else 0
        self.current_chat_id, self.current_title = chat_id, title
        self._reload_messages(user_id)
        self._show_graph(graph, number)

    def _show_graph(self, graph: dict[str, Any] | None, number: int = 0) -> None:
        self.nodes = flow_nodes(graph) if graph else []
        self.edges = flow_edges(graph) if graph else []
        self.workflow_name = graph.get("name", "") if graph else ""
        self.version_number = number
        if graph and needs_layout(graph):
            self.layout_nonce += 1
