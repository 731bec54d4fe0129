"""What the user does to runs: start one (with or without input), cancel it, and ask the
assistant to fix a failed step. Each handler re-reads the user from the token; the runs
service checks that the chat or run is theirs."""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from workflow_chat.services import runs as run_service
from workflow_chat.services.errors import Invalid, ServiceError
from workflow_chat.state.conversation import ConversationState
from workflow_chat.state.run_items import fix_request
from workflow_chat.state.runs import RunsState

# The chat message carries the error; a stack-sized one would crowd the question out.
MAX_FIX_ERROR = 1_500


class RunActionsState(RunsState):
    _started_at: float = 0.0

    @rx.event
    async def start(self):
        """Run the chat's current graph now, with no input."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        try:
            return await self._launch(user_id, None)
        except ServiceError as exc:
            return rx.toast.error(str(exc))

    async def _launch(self, user_id: int, payload: Any):
        """Start a manual run and show it (raises the service's NotFound/Invalid)."""
        if not self.current_chat_id:
            raise Invalid("Open a chat with a workflow first.")
        if time.monotonic() - self._started_at < 1.0:
            return None  # a double click: one run is enough
        summary = await run_service.start_run(
            user_id=user_id, chat_id=self.current_chat_id, trigger="manual", payload=payload
        )
        self._started_at = time.monotonic()
        return self._show_run(user_id, summary.id)

    @rx.event
    async def cancel(self):
        user_id, run_id = self._user_id(), self.run.id
        if user_id is None:
            return self._signed_out()
        if not run_id or not self.run_open:
            return
        try:
            await run_service.cancel_run(user_id=user_id, run_id=run_id)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._show_run(user_id, run_id)  # the watcher sees the end at its next poll
        return rx.toast.info("Run cancelled.")

    @rx.event
    def ask_fix(self):
        """Send the failed step's error to the assistant through the chat's own send path."""
        if self._user_id() is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer first.")
        record = self.record
        if record.status != "failed" or not record.node_id:
            return
        text = fix_request(record.label, record.node_id, record.error[:MAX_FIX_ERROR])
        # The fix changes the graph: the old run's dots would describe steps that changed.
        self._forget_run()
        self.tab = "history"
        return ConversationState.start_turn({"message": text, "keep_draft": True})
