"""Sending a message: store it, stream the answer in, let the user stop it or retry."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import questions, turns
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.workspace import WorkspaceState
from workflow_chat.state.workspace_items import MessageItem

# The streamed text reaches the browser at most this often: every update resends the var.
STREAM_INTERVAL = 0.05
# While no new text arrives, the Stop flag is looked at this often: each look takes the tab's
# state lock (a Redis round trip or more with several workers), for every answer in flight.
STOP_CHECK_INTERVAL = 0.25


class ConversationState(WorkspaceState):
    partial: str = ""
    stop_requested: bool = False

    # Who the next `answer` is for, set by the handler that checked the token (start_turn,
    # retry): `answer` trusts nothing else, so a tab that calls it on its own gets nothing.
    _answer_user_id: int = 0

    @rx.event
    async def start_turn(self, form: dict[str, Any]):
        """Store the question, then answer in the background (the page stays responsive).

        A refused message stays in the composer: it is cleared only once it is stored. A turn
        sent by a button (`keep_draft`) leaves whatever the user was typing alone. The checks and
        writes run in a thread, in one transaction: the event loop serves every other tab
        meanwhile.
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
        user_id, question = stored
        self.current_chat_id = question.chat.id
        self._show_chat_activity(question.chat)
        self._begin(user_id)
        # The question shows at once, the answer when it is stored: neither reads the chat back.
        self.messages = [*self.messages, MessageItem(
            id=question.message_id, role="user", content=question.content, status="ok",
            version_id=0,
        )]
        clear = [] if form.get("keep_draft") else [rx.set_value("composer", "")]
        return [*clear, ConversationState.answer]

    @rx.event
    def retry(self):
        if self.sending or not self.current_chat_id:
            return
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self._begin(user_id)
        self.messages = [m for m in self.messages if m.status != "error"]
        return ConversationState.answer

    @rx.event
    def stop(self):
        if self.sending:
            self.stop_requested = True

    def _begin(self, user_id: int) -> None:
        self.sending, self.partial, self.stop_requested = True, "", False
        self._sending_since = time.time()
        self._answer_user_id = user_id
        self.preview_version_id = 0

    @rx.event(background=True)
    async def answer(self):
        # Database work runs in threads, so one tab's queries never stall the others' events.
        async with self:
            chat_id, user_id = self.current_chat_id, self._answer_user_id
            self._answer_user_id = 0
            if not user_id or not chat_id:
                return  # not sent by start_turn or retry: nothing was checked, nothing is done
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
            if result is None:  # what is stored is unknown: read it back
                await asyncio.to_thread(self._reload_after_answer, user_id, chat_id)
            else:
                self._show_answer(chat_id, result)

    def _show_answer(self, chat_id: int, result: turns.TurnResult) -> None:
        """The stored answer, from what the turn reports: the chat list moves the chat to the
        top, and the chat, when still open, gets the reply (error notices before it were
        deleted by the turn) and the new version."""
        if result.chat is not None:
            self._show_chat_activity(result.chat)
        if self.current_chat_id != chat_id:
            return
        self.highlight_ids = list(result.touched)
        self.messages = [*(m for m in self.messages if m.status != "error"), MessageItem(
            id=result.message_id, role="assistant", content=result.content,
            status=result.status, version_id=result.version_id or 0,
        )]
        if result.version is not None and result.graph is not None:
            self._show_new_version(result.version, result.graph)

    def _reload_after_answer(self, user_id: int, chat_id: int) -> None:
        if self.current_chat_id == chat_id:
            try:
                self._reload_messages(user_id)
                self._reload_graph(user_id)
            except ServiceError:  # the chat is gone
                self._open(user_id, 0)
        self._reload_chats(user_id)

    def _store_question(self, text: str) -> tuple[int, questions.Question] | None:
        """(user id, what was stored) once the question is stored, in a new chat when none is
        open; None when the token no longer holds. Raises ServiceError (refused text, rate
        limit). Reads the state only: the caller sets it back on the event loop."""
        with session_scope() as session:
            user_id = self._user_id(session)
            if user_id is None:
                return None
            return user_id, questions.ask(
                session, user_id=user_id, chat_id=self.current_chat_id, content=text,
                project_id=self.project_filter or None, ip=self.router.session.client_ip or None,
            )
