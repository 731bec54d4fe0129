"""Sending a message: store it, stream the answer in, let the user stop it or retry."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import chats as chat_service
from workflow_chat.services import messages as message_service
from workflow_chat.services import turns
from workflow_chat.services import rate_limits
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.workspace import WorkspaceState

# The streamed text reaches the browser at most this often: every update resends the var.
STREAM_INTERVAL = 0.05


class ConversationState(WorkspaceState):
    partial: str = ""
    stop_requested: bool = False

    @rx.event
    def start_turn(self, form: dict[str, Any]):
        """Store the question, then answer in the background (the page stays responsive).

        A refused message stays in the composer: it is cleared only once it is stored. A turn
        sent by a button (`keep_draft`) leaves whatever the user was typing alone.
        """
        text = str(form.get("message", ""))
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return
        ip = self.router.session.client_ip or None
        try:
            if not self.current_chat_id:
                message_service.check_message_text(text)
                # Asked first, so a message over the limit leaves no empty chat behind.
                rate_limits.check_message(user_id=user_id, ip=ip, consume=False)
                with session_scope() as session:
                    self.current_chat_id = chat_service.create_chat(  # type: ignore[assignment]
                        session, user_id=user_id, project_id=self.project_filter or None
                    ).id
            turns.record_question(user_id=user_id, chat_id=self.current_chat_id, content=text, ip=ip)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._begin()
        self._reload_chats(user_id)
        self._reload_messages(user_id)
        clear = [] if form.get("keep_draft") else [rx.set_value("composer", "")]
        return [*clear, ConversationState.answer]

    @rx.event
    def retry(self):
        if self.sending or not self.current_chat_id or self._user_id() is None:
            return
        self._begin()
        self.messages = [m for m in self.messages if m.status != "error"]
        return ConversationState.answer

    @rx.event
    def stop(self):
        if self.sending:
            self.stop_requested = True

    def _begin(self) -> None:
        self.sending, self.partial, self.stop_requested = True, "", False
        self._sending_since = time.time()
        self.preview_version_id = 0

    @rx.event(background=True)
    async def answer(self):
        async with self:
            user_id, chat_id = self._user_id(), self.current_chat_id
        if user_id is None or not chat_id:
            async with self:
                self.sending = False
            return
        latest = {"text": ""}
        task = asyncio.create_task(
            turns.answer(user_id=user_id, chat_id=chat_id,
                         on_text=lambda text: latest.__setitem__("text", text))
        )
        shown = ""
        # Poll rather than push from the callback: one state write per interval at most, and the
        # Stop button is seen even while the model has not sent a token yet.
        while not task.done():
            await asyncio.wait({task}, timeout=STREAM_INTERVAL)
            async with self:
                if self.stop_requested:
                    task.cancel()
                if latest["text"] != shown:
                    self.partial = shown = latest["text"]
        try:
            result = await task
        except (ServiceError, asyncio.CancelledError):
            result = None  # the chat was deleted meanwhile, or stopped before anything was stored
        async with self:
            self.sending, self.partial, self.stop_requested = False, "", False
            if self.current_chat_id == chat_id:
                self.highlight_ids = list(result.touched) if result else []
                self._reload_messages(user_id)
                self._reload_graph(user_id)
            self._reload_chats(user_id)
