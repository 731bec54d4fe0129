"""Takeover of a dead executor's runs. DBOS resumes a run only in a process with the executor
id that started it; a process that never comes back (a lost host, a scaled-down container)
would strand its runs. Every engine process writes a heartbeat; one that sees another's
heartbeat go stale claims it (one DELETE decides the winner) and recovers its runs."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import sqlalchemy as sa
from dbos import DBOS

from workflow_chat.db import get_engine
from workflow_chat.engine import schedules
from workflow_chat.models import EngineExecutor, utcnow

log = logging.getLogger(__name__)
BEAT_SECONDS = 10.0
STALE_SECONDS = 60.0
TABLE = EngineExecutor.__table__  # type: ignore[attr-defined]

_stop = threading.Event()
_thread: threading.Thread | None = None


def beat(executor_id: str) -> None:
    with get_engine().begin() as conn:
        updated = conn.execute(
            sa.update(TABLE).where(TABLE.c.executor_id == executor_id).values(heartbeat_at=utcnow())
        ).rowcount
        if not updated:
            conn.execute(sa.insert(TABLE).values(executor_id=executor_id, heartbeat_at=utcnow()))


def take_over_stale(executor_id: str, stale_seconds: float = STALE_SECONDS) -> list[str]:
    """Recover, in this process, the runs of every executor silent for `stale_seconds`."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    with get_engine().connect() as conn:
        stale = conn.execute(
            sa.select(TABLE.c.executor_id).where(TABLE.c.heartbeat_at < cutoff, TABLE.c.executor_id != executor_id)
        ).scalars().all()
    taken = []
    for dead in stale:
        with get_engine().begin() as conn:
            won = conn.execute(
                sa.delete(TABLE).where(TABLE.c.executor_id == dead, TABLE.c.heartbeat_at < cutoff)
            ).rowcount == 1
        if won:
            # DBOS exposes recovery for other executors only as this (internal) call.
            handles = DBOS._recover_pending_workflows([dead])
            log.warning("took over %d run(s) of dead executor %s", len(handles), dead)
            taken.append(dead)
    return taken


def _loop(executor_id: str) -> None:
    while not _stop.wait(BEAT_SECONDS):
        try:
            beat(executor_id)
            take_over_stale(executor_id)
            schedules.reconcile()
        except Exception:  # a database hiccup must not kill the heartbeat thread
            log.exception("engine heartbeat failed")


def start(executor_id: str) -> None:
    global _thread
    beat(executor_id)
    _stop.clear()
    _thread = threading.Thread(target=_loop, args=(executor_id,), name="engine-heartbeat", daemon=True)
    _thread.start()


def stop() -> None:
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=5)
