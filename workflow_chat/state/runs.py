"""Runs of the open chat: show one live on the canvas and in the panel, list past runs.
(Starting, cancelling and "ask the assistant to fix this" are in state/run_actions.py.)

Every handler re-reads the user from the token; a run id from the browser goes to the runs
service, which answers NotFound for another user's run (and a run of another chat is refused
here). The whole run record stays in the backend var `_detail`; the view gets small rows and
the one record it shows, and a poll resends only what changed.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from workflow_chat.components.inspector import InspectorState
from workflow_chat.db import session_scope
from workflow_chat.graph.flow_view import with_run_status
from workflow_chat.services import runs as run_service
from workflow_chat.services.errors import NotFound, ServiceError
from workflow_chat.services.run_graph import run_graph
from workflow_chat.state.run_items import (
    OPEN_RUN, RunItem, StepItem, StepRecord, default_step, run_item, run_steps, step_record,
)
from workflow_chat.state.workspace import WorkspaceState

# Live status: a poll every 0.4 s, every 2 s once a run has gone on for a while (a long delay
# need not read the database twice a second), and none after an hour (Refresh resumes).
POLL_SECONDS, SLOW_POLL_SECONDS, SLOW_AFTER, WATCH_AT_MOST = 0.4, 2.0, 120.0, 3600.0
WATCH_TIMEOUT = 10.0  # a loop silent this long is gone: another may start
# The open history also lists runs started elsewhere (webhooks, schedules, another tab).
HISTORY_POLL_SECONDS = 3.0


class RunsState(WorkspaceState):
    panel_open: bool = False
    tab: str = "history"  # "history" (the chat's runs) or "run" (one run's steps)
    runs: list[RunItem] = []
    run: RunItem = RunItem()
    steps: list[StepItem] = []
    step_id: str = ""
    record: StepRecord = StepRecord()
    runs_chat_id: int = 0  # the chat the panel's content belongs to
    _detail: run_service.RunDetail | None = None
    _graph_nodes: list[dict[str, Any]] = []  # the run's graph: ids, labels and kinds, in order
    _picked: bool = False  # the user chose a step: the view stops following the run
    _full: bool = False  # "show more" on the shown record
    _watching: str = ""  # the run a poll loop follows, and when it last looked
    _watch_beat: float = 0.0
    _following: int = 0  # the chat whose history a poll loop keeps fresh, and when it last looked
    _follow_beat: float = 0.0

    @rx.var
    def run_open(self) -> bool:
        return self.run.status in OPEN_RUN

    @rx.event
    def sync_chat(self):
        """Called when a chat is shown (the panel is keyed by the chat id): the panel follows
        the chat; for the same chat (a reload) a live run is watched again."""
        user_id = self._user_id()
        if user_id is None:
            return
        if self.runs_chat_id != self.current_chat_id:
            self.runs_chat_id, self.runs = self.current_chat_id, []
            self._to_history(user_id if self.panel_open and self.current_chat_id else None)
            return self._follow()
        elif self.run_open and not self._watched(self.run.id):
            return RunsState.watch

    @rx.event
    def toggle_panel(self):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        # Closed, the panel leaves a shown run on the canvas (and its summary in the bar).
        self.panel_open = not self.panel_open
        if self.panel_open:
            self._reload_runs(user_id)
            return self._follow()

    @rx.event
    def show_history(self):
        """Back to the list: the shown run leaves the canvas."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self._to_history(user_id)
        return self._follow()

    @rx.event
    def open_run(self, run_id: str):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        return self._show_run(user_id, str(run_id))

    def _show_run(self, user_id: int, run_id: str):
        try:
            self._load_run(user_id, run_id)
        except ServiceError:
            self._forget_run()
            self._reload_runs(user_id)
            return rx.toast.error("That run does not exist.")
        self.panel_open, self.tab = True, "run"
        self._reload_runs(user_id)
        if self.run_open and not self._watched(run_id):
            return RunsState.watch

    @rx.event
    def node_click(self, node_id: Any):
        """A click on a canvas node: its run record while a run is shown, else the inspector."""
        node_id = str(node_id.get("id", "") if isinstance(node_id, dict) else node_id)
        if self.tab == "run" and self.run.id and self.panel_open:
            return RunsState.select_step(node_id)
        return InspectorState.open(node_id)

    @rx.event
    def select_step(self, node_id: str):
        if self._user_id() is None:
            return self._signed_out()
        self.step_id, self._picked, self._full = str(node_id), True, False
        self._set_record()

    @rx.event
    def show_more(self):
        self._full = True
        self._set_record()

    @rx.event(background=True)
    async def watch(self):
        """Poll the shown run until it ends, or until the user shows another run or chat."""
        async with self:
            user_id, run_id, chat_id = self._user_id(), self.run.id, self.current_chat_id
            if user_id is None or not run_id or self._watched(run_id):
                return
            self._watching, self._watch_beat = run_id, time.time()
        began = time.monotonic()
        try:
            while time.monotonic() - began < WATCH_AT_MOST:
                slow = time.monotonic() - began > SLOW_AFTER
                await asyncio.sleep(SLOW_POLL_SECONDS if slow else POLL_SECONDS)
                detail = await asyncio.to_thread(_read_run, user_id, run_id)
                async with self:
                    if self.run.id != run_id or self.current_chat_id != chat_id:
                        return
                    self._watch_beat = time.time()
                    if detail is None:
                        self._forget_run()
                        return
                    self._apply(detail)
                    if detail.run.status not in OPEN_RUN:
                        self._reload_runs(user_id)
                        return
        finally:
            async with self:
                if self._watching == run_id:
                    self._watching = ""

    @rx.event(background=True)
    async def follow_history(self):
        """Keep the open history list fresh until the panel closes, shows a run, or the chat
        changes (at most an hour, like a run's watch)."""
        async with self:
            user_id, chat_id = self._user_id(), self.current_chat_id
            if user_id is None or not self._showing_history(chat_id) or self._followed(chat_id):
                return
            self._following, self._follow_beat = chat_id, time.time()
        began = time.monotonic()
        try:
            while time.monotonic() - began < WATCH_AT_MOST:
                await asyncio.sleep(HISTORY_POLL_SECONDS)
                rows = await asyncio.to_thread(_read_runs, user_id, chat_id)
                async with self:
                    if not self._showing_history(chat_id) or self._user_id() != user_id:
                        return
                    self._follow_beat = time.time()
                    items = [run_item(r) for r in rows]
                    if items != self.runs:
                        self.runs = items
        finally:
            async with self:
                if self._following == chat_id:
                    self._following = 0

    def _follow(self):
        """The event that keeps the history fresh, when it is shown and no loop does it yet."""
        if self._showing_history(self.current_chat_id) and not self._followed(self.current_chat_id):
            return RunsState.follow_history
        return None

    def _showing_history(self, chat_id: int) -> bool:
        return bool(chat_id) and self.panel_open and self.tab == "history" and self.current_chat_id == chat_id

    def _followed(self, chat_id: int) -> bool:
        return self._following == chat_id and time.time() - self._follow_beat < HISTORY_POLL_SECONDS + WATCH_TIMEOUT

    def _load_run(self, user_id: int, run_id: str) -> None:
        """Read a run of the open chat (NotFound for anything else) and show it."""
        with session_scope() as session:
            detail = run_service.get_run(session, user_id=user_id, run_id=run_id)
            if detail.run.chat_id != self.current_chat_id:
                raise NotFound("That run does not exist.")
            if run_id != self.run.id:
                graph = run_graph(session, user_id=user_id, run_id=run_id)
                self._graph_nodes = [{k: n.get(k) for k in ("id", "label", "kind")}
                                     for n in graph.get("nodes") or []]
                self.step_id, self._picked, self._full = "", False, False
        self._apply(detail)

    def _apply(self, detail: run_service.RunDetail) -> None:
        """Show `detail`, assigning only the vars that changed (each assignment is resent)."""
        self._detail = detail
        item, steps = run_item(detail.run), run_steps(self._graph_nodes, detail)
        if item != self.run:
            self.run = item
        if steps != self.steps:
            self.steps = steps
        if not self._picked and default_step(steps) != self.step_id:
            self.step_id = default_step(steps)
        self._set_record()
        self._paint({s.node_id: s.status for s in steps if s.status})

    def _set_record(self) -> None:
        detail, label = self._detail, next(
            (s.label for s in self.steps if s.node_id == self.step_id), self.step_id)
        row = next((n for n in detail.nodes if n.node_id == self.step_id), None) if detail else None
        record = step_record(label, row, self.step_id, full=self._full) if self.step_id else StepRecord()
        if record != self.record:
            self.record = record

    def _paint(self, statuses: dict[str, str]) -> None:
        """The run's node statuses on the canvas (the nodes list is resent only on a change)."""
        if statuses == self._run_status:
            return
        self._run_status = statuses
        self.nodes = with_run_status(self.nodes, statuses or None)

    def _watched(self, run_id: str) -> bool:
        """A poll loop follows `run_id` (a loop lost in a restart stops beating)."""
        return self._watching == run_id and time.time() - self._watch_beat < WATCH_TIMEOUT

    def _to_history(self, user_id: int | None) -> None:
        """Show the list (reloaded for `user_id`; None leaves it) and no run on the canvas."""
        self._forget_run()
        self.tab = "history"
        if user_id is not None:
            self._reload_runs(user_id)

    def _forget_run(self) -> None:
        self._detail, self._graph_nodes, self._picked, self._full = None, [], False, False
        self.run, self.steps, self.step_id, self.record = RunItem(), [], "", StepRecord()
        self._paint({})

    def _reload_runs(self, user_id: int) -> None:
        rows = _read_runs(user_id, self.current_chat_id)
        items, self.runs_chat_id = [run_item(r) for r in rows], self.current_chat_id
        if items != self.runs:
            self.runs = items


def _read_runs(user_id: int, chat_id: int) -> list[run_service.RunSummary]:
    try:
        with session_scope() as session:
            return run_service.list_runs(session, user_id=user_id, chat_id=chat_id)
    except ServiceError:
        return []


def _read_run(user_id: int, run_id: str) -> run_service.RunDetail | None:
    try:
        with session_scope() as session:
            return run_service.get_run(session, user_id=user_id, run_id=run_id)
    except NotFound:
        return None

