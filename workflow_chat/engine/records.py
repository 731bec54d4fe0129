"""The run's rows in the app database: a write when a queued run turns out slow, one per slow
node for the live view, and one transaction at the end. Each write is idempotent, so a replay
after a crash rewrites the same rows instead of adding new ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from workflow_chat.db import get_engine
from workflow_chat.engine.outcome import NodeOutcome
from workflow_chat.models import NodeRun, Run

RUNS = Run.__table__  # type: ignore[attr-defined]
NODE_RUNS = NodeRun.__table__  # type: ignore[attr-defined]
OPEN = ("queued", "running")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _row(run_id: str, outcome: NodeOutcome) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "node_id": outcome.node_id,
        "status": outcome.status,
        "attempts": outcome.attempts,
        "input": outcome.input,
        "output": outcome.output,
        "error": outcome.error,
        "started_at": _when(outcome.started_at),
        "finished_at": _when(outcome.finished_at),
    }


def mark_running(run_id: str) -> None:
    with get_engine().begin() as conn:
        conn.execute(
            sa.update(RUNS)
            .where(RUNS.c.id == run_id, RUNS.c.status == "queued")
            .values(status="running", started_at=datetime.now(timezone.utc))
        )


def is_open(run_id: str) -> bool:
    """False once the run was cancelled (or ended): the walk stops starting nodes."""
    with get_engine().connect() as conn:
        status = conn.execute(sa.select(RUNS.c.status).where(RUNS.c.id == run_id)).scalar()
    return status in OPEN


def save_nodes(run_id: str, outcomes: list[NodeOutcome]) -> None:
    """Insert or replace these nodes' rows (live status while the run is open)."""
    with get_engine().begin() as conn:
        _replace(conn, run_id, outcomes)


def finish(
    run_id: str, status: str, error: str | None, outcomes: Iterable[NodeOutcome], *,
    any_shown: bool = True, started_at: datetime | None = None,
) -> None:
    """Every node's final row and the run's status, in one transaction. A run cancelled
    meanwhile keeps its 'cancelled' status. `any_shown=False` (no live row was written) skips
    clearing old rows: a run of pure nodes costs two statements. `started_at` is stored if the
    run was never marked running."""
    now = datetime.now(timezone.utc)
    with get_engine().begin() as conn:
        closed = conn.execute(
            sa.update(RUNS)
            .where(RUNS.c.id == run_id, RUNS.c.status.in_(OPEN))
            .values(status=status, error=error, finished_at=now,
                    started_at=sa.func.coalesce(RUNS.c.started_at, started_at or now))
        ).rowcount
        if closed:
            _replace(conn, run_id, list(outcomes), fresh=not any_shown)


def add_nodes(conn: sa.Connection, run_id: str, outcomes: list[NodeOutcome]) -> None:
    """The final rows of a run that never had live ones (an inline run, in its own transaction)."""
    _replace(conn, run_id, outcomes, fresh=True)


def _replace(conn: sa.Connection, run_id: str, outcomes: list[NodeOutcome], *, fresh: bool = False) -> None:
    if not outcomes:
        return
    if not fresh:
        ids = [o.node_id for o in outcomes]
        conn.execute(sa.delete(NODE_RUNS).where(NODE_RUNS.c.run_id == run_id, NODE_RUNS.c.node_id.in_(ids)))
    conn.execute(sa.insert(NODE_RUNS), [_row(run_id, o) for o in outcomes])
