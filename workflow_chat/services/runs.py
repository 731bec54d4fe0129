"""Runs of a chat's workflow: start, list, read, cancel. Every call checks the owner; the
engine (engine/) does the running."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.db import session_scope
from workflow_chat.graph import GraphInvalid
from workflow_chat.graph.validate import parse_stored
from workflow_chat.models import NodeRun, Run, WorkflowVersion, utcnow
from workflow_chat.services import audit, keyset
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid, NotFound

if TYPE_CHECKING:
    from workflow_chat.engine.inline import InlineRun

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


@dataclass(frozen=True)
class Runnable:
    """A chat's current graph, checked and ready to run for its owner."""

    user_id: int
    chat_id: int
    version_id: int
    version_number: int
    graph: dict[str, Any]


def runnable(session: Session, *, user_id: int, chat_id: int, payload: Any = None) -> Runnable:
    """The chat's current graph if its owner may run it with this input (NotFound/Invalid)."""
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
    return Runnable(user_id=user_id, chat_id=chat_id, version_id=version.id,  # type: ignore[arg-type]
                    version_number=version.number, graph=version.graph)


def insert_run(
    session: Session, target: Runnable, *, trigger: str, payload: Any = None,
    run_id: str | None = None, started: bool = False, ended: InlineRun | None = None,
    ip: str | None = None,
) -> Run:
    """The run's row (queued; running when `started`; finished when `ended`) and its audit
    event. The caller commits."""
    run = Run(
        id=run_id or uuid.uuid4().hex, user_id=target.user_id, chat_id=target.chat_id,
        workflow_version_id=target.version_id, version_number=target.version_number,
        trigger=trigger, input=payload,
    )
    if started:  # it starts at once (see dispatch.runs_here): no separate "running" write later
        run.status, run.started_at = "running", utcnow()
    if ended is not None:
        run.status, run.error = ended.result["status"], ended.result["error"]
        run.started_at, run.finished_at = ended.started_at, ended.finished_at
    session.add(run)
    session.flush()
    audit.record(session, user_id=target.user_id, action="run.start", target=f"run:{run.id}",
                 detail={"trigger": trigger, "chat": target.chat_id}, ip=ip)
    return run


def create_run(
    session: Session, *, user_id: int, chat_id: int, trigger: str, payload: Any = None,
    run_id: str | None = None, started: bool = False, ip: str | None = None,
) -> tuple[Run, dict[str, Any]]:
    """Store a queued run of the chat's current graph; returns the row and the graph to run.
    The caller commits, then hands both to engine.dispatch.submit."""
    target = runnable(session, user_id=user_id, chat_id=chat_id, payload=payload)
    run = insert_run(session, target, trigger=trigger, payload=payload, run_id=run_id,
                     started=started, ip=ip)
    return run, target.graph


async def start_run(
    *, user_id: int, chat_id: int, trigger: str = "manual", payload: Any = None,
    ip: str | None = None,
) -> RunSummary:
    """Store and start a run of the chat's current graph (raises NotFound/Invalid)."""
    return await launch(lambda _: user_id, chat_id=chat_id, trigger=trigger, payload=payload, ip=ip)


async def launch(
    owner: Callable[[Session], int], *, chat_id: int, trigger: str, payload: Any = None,
    ip: str | None = None,
) -> RunSummary:
    """Store and start a run of the chat's current graph; `owner(session)` checks who may
    start it and returns their user id (or raises NotFound). A graph of pure nodes runs at
    once and is stored finished (engine/inline.py); any other is stored, then handed to the
    engine. Checks and the row share one session and one thread."""
    from workflow_chat.engine import inline

    def store() -> tuple[Runnable, RunSummary | None]:
        with session_scope() as session:
            target = runnable(session, user_id=owner(session), chat_id=chat_id, payload=payload)
            if inline.fits(target.graph):
                return target, None
            run = insert_run(session, target, trigger=trigger, payload=payload,
                             started=starts_at_once(), ip=ip)
            return target, summarise(run)

    target, summary = await asyncio.to_thread(store)
    if summary is not None:
        await submit(summary.id, target.graph, payload)
        return summary
    run_id = uuid.uuid4().hex
    done = await inline.run(run_id, target.graph, payload, owner_id=target.user_id)

    def record() -> RunSummary:
        from workflow_chat.engine import records

        try:
            with session_scope() as session:
                run = insert_run(session, target, trigger=trigger, payload=payload, run_id=run_id,
                                 ended=done, ip=ip)
                records.add_nodes(session.connection(), run_id, done.outcomes)
                return summarise(run)
        except sa.exc.IntegrityError:  # the chat was deleted while the run ran
            raise NotFound("That chat does not exist.") from None

    summary = await asyncio.to_thread(record)
    inline.keep_result(run_id, done.result)
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


def list_runs(
    session: Session, *, user_id: int, chat_id: int, limit: int = 50,
    before: tuple[datetime, str] | None = None,
) -> list[RunSummary]:
    """Newest first; with `before` = (created_at, id) of a run, only the runs listed after it."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    query = select(Run).where(Run.chat_id == chat_id, Run.user_id == user_id)
    if before is not None:
        query = query.where(keyset.older_than(Run.created_at, Run.id, before))
    rows = session.exec(
        query.order_by(sa.desc(Run.created_at), sa.desc(Run.id)).limit(limit)
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
    from workflow_chat.engine import dispatch, inline

    return inline.take_result(run_id) or await dispatch.result(run_id, timeout)
