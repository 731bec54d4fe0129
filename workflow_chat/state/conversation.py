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
from workflow_chat.state.workspace import MessageItem, WorkspaceState

# The streamed text reaches the browser at most this often: every update resends the var.
STREAM_INTERVAL = 0.05
# While no new text arrives, the Stop flag is looked at this often: each look takes the tab's
# state lock (a Redis round trip or more with several workers), for every answer in flight.
STOP_CHECK_INTERVAL = 0.25


class ConversationState(WorkspaceState):
    partial: str = ""
    stop_requested: bool = False

    @rx.event
    async def start_turn(self, form: dict[str, Any]):
        """Store the question, then answer in the background (the page stays responsive).

        A refused message stays in the composer: it is cleared only once it is stored. A turn
        sent by a button (`keep_draft`) leaves whatever the user was typing alone. The checks and
        writes run in a thread: the event loop serves every other tab meanwhile.
        """
        if self.sending:
            return
        text = str(form.get("message", ""))
        try:
            stored = await asyncio.to_thread(self._store_question, text)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        if stored is None:
            return self._signed_out()
        self.current_chat_id, question_id = stored
        self._begin()
        # The question shows at once without reading the chat back; the answer re-reads the
        # chat list (new title, new order) off the event loop, and the whole chat at its end.
        self.messages = [*self.messages, MessageItem(
            id=question_id, role="user", content=message_service.check_message_text(text),
            status="ok", version_id=0,
        )]
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
        # Database work runs in threads, so one tab's queries never stall the others' events.
        async with self:
            chat_id = self.current_chat_id
            user_id = await asyncio.to_thread(self._user_and_chats)
            if user_id is None or not chat_id:
                self.sending = False
                return
        latest = {"text": ""}
        task = asyncio.create_task(
            turns.answer(user_id=user_id, chat_id=chat_id,
                         on_text=lambda text: latest.__setitem__("text", text))
        )
        shown, cancelled, looked = "", False, time.monotonic()
        # Poll rather than push from the callback: one state write per interval at most, and the
        # Stop button is seen even while the model has not sent a token yet.
        while not task.done():
            await asyncio.wait({task}, timeout=STREAM_INTERVAL)
            text = latest["text"]
            if task.done() or (text == shown and time.monotonic() - looked < STOP_CHECK_INTERVAL):
                continue
            looked = time.monotonic()
            async with self:
                if self.stop_requested and not cancelled:
                    task.cancel()
                    cancelled = True
                if text != shown:
                    self.partial = shown = text
        try:
            result = await task
        except (ServiceError, asyncio.CancelledError):
            result = None  # the chat was deleted meanwhile, or stopped before anything was stored
        async with self:
            self.sending, self.partial, self.stop_requested = False, "", False
            same_chat = self.current_chat_id == chat_id
            if same_chat:
                self.highlight_ids = list(result.touched) if result else []
            await asyncio.to_thread(self._show_answer, user_id, same_chat)

    def _user_and_chats(self) -> int | None:
        """The verified user, and their chat list re-read (the question renamed or moved it)."""
        user_id = self._user_id()
        if user_id is not None:
            self._reload_chats(user_id)
        return user_id

    def _show_answer(self, user_id: int, same_chat: bool) -> None:
        """The stored answer: the chat list, and the chat itself when it is still open."""
        if same_chat:
            self._reload_messages(user_id)
            self._reload_graph(user_id)
        self._reload_chats(user_id)

    def _store_question(self, text: str) -> tuple[int, int] | None:
        """(chat id, question id) once the question is stored, in a new chat when none is
        open; None when the token no longer holds. Raises ServiceError (refused text, rate
        limit). Reads the state only: the caller sets it back on the event loop."""
        user_id = self._user_id()
        if user_id is None:
            return None
        chat_id, ip = self.current_chat_id, self.router.session.client_ip or None
        if not chat_id:
            message_service.check_message_text(text)
            # Asked first, so a message over the limit leaves no empty chat behind.
            rate_limits.check_message(user_id=user_id, ip=ip, consume=False)
            with session_scope() as session:
                chat_id = chat_service.create_chat(  # type: ignore[assignment]
                    session, user_id=user_id, project_id=self.project_filter or None
                ).id
        return chat_id, turns.record_question(user_id=user_id, chat_id=chat_id, content=text, ip=ip)
