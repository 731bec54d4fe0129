"""Runs of a chat's workflow: start, list, read, cancel. Every call checks the owner; the
engine (engine/) does the running."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.db import session_scope
from workflow_chat.graph import GraphInvalid
from workflow_chat.graph.validate import parse_stored
from workflow_chat.models import NodeRun, Run, WorkflowVersion, utcnow
from workflow_chat.services import audit
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid, NotFound

OPEN = ("queued", "running")
MAX_INPUT_CHARS = 100_000


def duration_ms(started: datetime | None, finished: datetime | None) -> int | None:
    """Milliseconds between the two, or None until both are known."""
    if started is None or finished is None:
        return None
    return int((finished - started).total_seconds() * 1000)


@dataclass(frozen=True)
class RunSummary:
    id: str
    chat_id: int
    version_number: int
    trigger: str
    status: str
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def duration_ms(self) -> int | None:
        return duration_ms(self.started_at, self.finished_at)


@dataclass(frozen=True)
class NodeRunView:
    node_id: str
    status: str
    attempts: int
    input: Any
    output: Any
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def duration_ms(self) -> int | None:
        return duration_ms(self.started_at, self.finished_at)


@dataclass(frozen=True)
class RunDetail:
    run: RunSummary
    input: Any
    nodes: list[NodeRunView]


def summarise(run: Run) -> RunSummary:
    return RunSummary(
        id=run.id, chat_id=run.chat_id, version_number=run.version_number, trigger=run.trigger,
        status=run.status, error=run.error, created_at=run.created_at,
        started_at=run.started_at, finished_at=run.finished_at,
    )


def create_run(
    session: Session, *, user_id: int, chat_id: int, trigger: str, payload: Any = None,
    run_id: str | None = None, started: bool = False, ip: str | None = None,
) -> tuple[Run, dict[str, Any]]:
    """Store a queued run of the chat's current graph; returns the row and the graph to run.
    The caller commits, then hands both to engine.dispatch.submit."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    version = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    if version is None:
        raise Invalid("This chat has no workflow to run yet. Describe one first.")
    try:
        parse_stored(version.graph)  # stored graphs were valid; the rules may have grown since
    except GraphInvalid as error:
        raise Invalid("This workflow has problems; fix them before running it.", error.errors) from None
    if payload is not None and len(str(payload)) > MAX_INPUT_CHARS:
        raise Invalid(f"The run input is too large (over {MAX_INPUT_CHARS:,} characters).")
    run = Run(
        id=run_id or uuid.uuid4().hex, user_id=user_id, chat_id=chat_id,
        workflow_version_id=version.id, version_number=version.number,  # type: ignore[arg-type]
        trigger=trigger, input=payload,
    )
    if started:  # it starts at once (see dispatch.runs_here): no separate "running" write later
        run.status, run.started_at = "running", utcnow()
    session.add(run)
    session.flush()
    audit.record(session, user_id=user_id, action="run.start", target=f"run:{run.id}",
                 detail={"trigger": trigger, "chat": chat_id}, ip=ip)
    return run, version.graph


async def start_run(
    *, user_id: int, chat_id: int, trigger: str = "manual", payload: Any = None
) -> RunSummary:
    """Store and start a run of the chat's current graph (raises NotFound/Invalid)."""
    def store() -> tuple[RunSummary, dict[str, Any]]:
        with session_scope() as session:
            run, graph = create_run(session, user_id=user_id, chat_id=chat_id, trigger=trigger,
                                    payload=payload, started=starts_at_once())
            return summarise(run), graph

    summary, graph = await asyncio.to_thread(store)
    await submit(summary.id, graph, payload)
    return summary


def starts_at_once() -> bool:
    from workflow_chat.engine import dispatch

    return dispatch.runs_here()


async def submit(run_id: str, graph: dict[str, Any], payload: Any) -> None:
    """Hand a stored run to the engine (started here, or queued for a worker)."""
    from workflow_chat.engine import dispatch

    await dispatch.submit(run_id, graph, payload)


def owned_run(session: Session, *, user_id: int, run_id: str) -> Run:
    run = session.get(Run, run_id) if isinstance(run_id, str) else None
    if run is None or run.user_id != user_id:
        raise NotFound("That run does not exist.")
    return run


def list_runs(session: Session, *, user_id: int, chat_id: int, limit: int = 50) -> list[RunSummary]:
    """Newest first."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    rows = session.exec(
        select(Run).where(Run.chat_id == chat_id, Run.user_id == user_id)
        .order_by(sa.desc(Run.created_at)).limit(limit)
    ).all()
    return [summarise(r) for r in rows]


def get_run(session: Session, *, user_id: int, run_id: str) -> RunDetail:
    run = owned_run(session, user_id=user_id, run_id=run_id)
    rows = session.exec(select(NodeRun).where(NodeRun.run_id == run_id).order_by(NodeRun.id)).all()
    nodes = [
        NodeRunView(node_id=r.node_id, status=r.status, attempts=r.attempts, input=r.input,
                    output=r.output, error=r.error, started_at=r.started_at, finished_at=r.finished_at)
        for r in rows
    ]
    return RunDetail(run=summarise(run), input=run.input, nodes=nodes)


async def cancel_run(*, user_id: int, run_id: str) -> RunSummary:
    """Stop an open run: the engine stops at its next step; nodes not finished show cancelled."""
    from workflow_chat.engine import dispatch

    with session_scope() as session:
        run = owned_run(session, user_id=user_id, run_id=run_id)
        if run.status not in OPEN:
            return summarise(run)
        run.status, run.finished_at, run.error = "cancelled", utcnow(), "Cancelled by the user."
        session.execute(
            sa.update(NodeRun)
            .where(NodeRun.run_id == run_id, NodeRun.status.in_(("pending", "running")))  # type: ignore[attr-defined]
            .values(status="cancelled", finished_at=utcnow())
        )
        session.add(run)
        summary = summarise(run)
    await dispatch.cancel(run_id)
    return summary


async def wait_for_result(run_id: str, *, timeout: float) -> dict[str, Any] | None:
    """{"status", "error", "output"} of a run this caller just started, or None if it is still
    running after `timeout` seconds (the run goes on)."""
    from workflow_chat.engine import dispatch

    return await dispatch.result(run_id, timeout)
