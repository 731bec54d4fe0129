"""Runs of a chat's workflow: start, list, read, cancel. Every call checks the owner; the
engine (engine/) does the running."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.db import get_engine, session_scope
from workflow_chat.engine import records
from workflow_chat.graph import GraphInvalid
from workflow_chat.graph.schema import Workflow
from workflow_chat.graph.validate import parse_stored
from workflow_chat.models import NodeRun, Run, WorkflowVersion, utcnow
from workflow_chat.services import audit, keyset
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid, NotFound

if TYPE_CHECKING:
    from workflow_chat.engine.inline import InlineRun

OPEN = ("queued", "running")
RUNS = Run.__table__  # type: ignore[attr-defined]
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


SUMMARY_FIELDS = ("id", "chat_id", "version_number", "trigger", "status", "error", "created_at",
                  "started_at", "finished_at")


def summarise(run: Run) -> RunSummary:
    return RunSummary(**{name: getattr(run, name) for name in SUMMARY_FIELDS})


@dataclass(frozen=True)
class Runnable:
    """A chat's current graph, checked and ready to run for its owner."""

    user_id: int
    chat_id: int
    version_id: int
    version_number: int
    graph: dict[str, Any]

    @cached_property
    def workflow(self) -> Workflow:
        """The graph parsed (shared: read it, never change it)."""
        return parse_stored(self.graph)


def runnable(session: Session, *, user_id: int, chat_id: int, payload: Any = None) -> Runnable:
    """The chat's current graph if its owner may run it with this input (NotFound/Invalid)."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    version = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    if version is None:
        raise Invalid("This chat has no workflow to run yet. Describe one first.")
    return checked(Runnable(user_id=user_id, chat_id=chat_id, version_id=version.id,  # type: ignore[arg-type]
                            version_number=version.number, graph=version.graph), payload)


def checked(target: Runnable, payload: Any) -> Runnable:
    """`target` if its graph still passes validation and the input is not too large (Invalid)."""
    try:
        target.workflow  # stored graphs were valid; the rules may have grown since
    except GraphInvalid as error:
        raise Invalid("This workflow has problems; fix them before running it.", error.errors) from None
    if payload is not None and len(str(payload)) > MAX_INPUT_CHARS:
        raise Invalid(f"The run input is too large (over {MAX_INPUT_CHARS:,} characters).")
    return target


def insert_run(
    conn: sa.Connection, target: Runnable, *, trigger: str, payload: Any = None,
    run_id: str | None = None, started: bool = False, ended: InlineRun | None = None,
    ip: str | None = None,
) -> RunSummary:
    """The run's row (queued; running when `started`; finished when `ended`) and its audit
    event, as two INSERTs in the caller's transaction."""
    row: dict[str, Any] = {
        "id": run_id or uuid.uuid4().hex, "user_id": target.user_id, "chat_id": target.chat_id,
        "workflow_version_id": target.version_id, "version_number": target.version_number,
        "trigger": trigger, "status": "queued", "input": payload, "error": None,
        "created_at": utcnow(), "started_at": None, "finished_at": None,
    }
    if started:  # it starts at once (see dispatch.runs_here): no separate "running" write later
        row.update(status="running", started_at=row["created_at"])
    if ended is not None:
        row.update(status=ended.result["status"], error=ended.result["error"],
                   started_at=ended.started_at, finished_at=ended.finished_at)
    conn.execute(sa.insert(RUNS), row)
    audit.insert_event(conn, user_id=target.user_id, action="run.start", target=f"run:{row['id']}",
                       detail={"trigger": trigger, "chat": target.chat_id}, ip=ip)
    return RunSummary(**{k: row[k] for k in SUMMARY_FIELDS})


def create_run(
    session: Session, *, user_id: int, chat_id: int, trigger: str, payload: Any = None,
    run_id: str | None = None, started: bool = False, ip: str | None = None,
) -> tuple[RunSummary, dict[str, Any]]:
    """Store a queued run of the chat's current graph; returns it and the graph to run.
    The caller commits, then hands both to engine.dispatch.submit."""
    target = runnable(session, user_id=user_id, chat_id=chat_id, payload=payload)
    session.flush()  # the session's pending rows (and audit events) go in before the run's
    summary = insert_run(session.connection(), target, trigger=trigger, payload=payload,
                         run_id=run_id, started=started, ip=ip)
    return summary, target.graph


async def start_run(
    *, user_id: int, chat_id: int, trigger: str = "manual", payload: Any = None,
    ip: str | None = None,
) -> RunSummary:
    """Store and start a run of the chat's current graph (raises NotFound/Invalid)."""

    def find() -> Runnable:
        with session_scope() as session:
            return runnable(session, user_id=user_id, chat_id=chat_id, payload=payload)

    return await launch(find, trigger=trigger, payload=payload, ip=ip)


async def launch(
    find: Callable[[], Runnable], *, trigger: str, payload: Any = None, ip: str | None = None,
) -> RunSummary:
    """Store and start a run of the graph `find()` returns once it has checked who may start
    it (it raises NotFound/Invalid otherwise; it is called in a worker thread). A graph of
    pure nodes runs at once and is stored finished (engine/inline.py); any other is stored,
    then handed to the engine. One thread hop, plain INSERTs, no ORM session."""
    from workflow_chat.engine import inline

    def store(target: Runnable, **fields: Any) -> RunSummary:
        try:
            with get_engine().begin() as conn:
                summary = insert_run(conn, target, trigger=trigger, payload=payload, ip=ip, **fields)
                if fields.get("ended") is not None:
                    records.add_nodes(conn, summary.id, fields["ended"].outcomes)
                return summary
        except sa.exc.IntegrityError:  # the chat was deleted meanwhile
            raise NotFound("That chat does not exist.") from None

    def find_and_store() -> tuple[Runnable, RunSummary]:
        target = find()
        if not inline.fits(target.workflow):
            return target, store(target, started=starts_at_once())
        run_id = uuid.uuid4().hex
        done = inline.run_in_thread(run_id, target.workflow, payload, owner_id=target.user_id)
        summary = store(target, run_id=run_id, ended=done)
        inline.keep_result(run_id, done.result)
        return target, summary

    target, summary = await asyncio.to_thread(find_and_store)
    if summary.status in OPEN:
        await submit(summary.id, target.graph, payload)
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
