"""Start and stop DBOS in this process: the web app (embedded mode) or a worker."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from dbos import DBOS, DBOSConfig

from workflow_chat.engine import heartbeat
from workflow_chat.engine.executor_slot import claim_slot
from workflow_chat.engine.settings import RUNS_QUEUE, EngineSettings, engine_settings
from workflow_chat.settings import data_dir

log = logging.getLogger(__name__)
_current: EngineSettings | None = None


def dbos_config(settings: EngineSettings) -> DBOSConfig:
    config: DBOSConfig = {
        "name": "workflow-chat",
        "system_database_url": settings.system_database_url,
        "executor_id": settings.executor_id,
        "application_version": settings.application_version,
        # Unlimited threads collapse under load (DESIGN.md: p95 589 ms vs 171 ms with 8).
        "max_executor_threads": settings.max_executor_threads,
        "scheduler_polling_interval_sec": settings.scheduler_polling_seconds,
        "log_level": "WARNING",
    }
    if settings.is_sqlite:
        # One connection removes SQLite lock-wait tails (DESIGN.md).
        config["sys_db_pool_size"] = int(os.environ.get("ENGINE_SQLITE_POOL", "1"))
    return config


def launch(settings: EngineSettings | None = None) -> EngineSettings:
    """Create and launch DBOS (blocking; call it in a thread from async code). Runs left
    pending by this executor id are recovered by DBOS.launch."""
    # Registers the workflows before launch so recovery can find them.
    from workflow_chat.engine import runner, schedules  # noqa: F401

    global _current
    settings = settings or engine_settings()
    if not settings.executor_id:
        slot = claim_slot(data_dir() / "executors", settings.role)
        settings = settings.model_copy(update={"executor_id": slot})
    DBOS(config=dbos_config(settings))
    if not settings.listens:
        DBOS.listen_queues([])
    if settings.is_sqlite:
        _enable_wal(settings.system_database_url)
        if os.environ.get("ENGINE_SQLITE_FULL_SYNC") != "1":
            _relax_sync_on(settings.system_database_url)
    DBOS.launch()
    # Declared by every process (schedules need it to exist); only listeners take from it.
    DBOS.register_queue(
        RUNS_QUEUE,
        worker_concurrency=settings.worker_concurrency,
        polling_interval_sec=settings.queue_polling_seconds,
    )
    _current = settings
    heartbeat.start(settings.executor_id)
    return settings


def current() -> EngineSettings:
    """The settings this process launched with (dispatch reads the mode from them)."""
    if _current is None:
        raise RuntimeError("the run engine is not started in this process")
    return _current


def _relax_sync_on(url: str) -> None:
    """synchronous=NORMAL on DBOS's SQLite file: in WAL mode a commit then survives a killed
    process (what recovery is for) without an fsync each; only a power cut may lose the last
    commits. DBOS builds its own engine, so this listens on every engine and picks its file."""
    target = str(Path(url.removeprefix("sqlite:///")).resolve())
    if target in _relaxed:
        return
    _relaxed.add(target)

    @event.listens_for(sa.Engine, "connect")
    def _relax(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        files = {row[2] for row in dbapi_connection.execute("PRAGMA database_list")}
        if target in files:
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")


_relaxed: set[str] = set()


def _enable_wal(url: str) -> None:
    # DBOS never turns WAL on for SQLite; without it every run waits on the file lock (+70 %).
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()


def shutdown() -> None:
    global _current
    heartbeat.stop()
    DBOS.destroy(destroy_registry=False)
    _current = None


@asynccontextmanager
async def engine_lifespan() -> AsyncIterator[None]:
    """Reflex lifespan task: the engine lives as long as the backend."""
    await asyncio.to_thread(launch)
    try:
        yield
    finally:
        # DBOS made its own pool this loop's default executor; destroy() shuts that pool
        # down, and Reflex still flushes state through run_in_executor after this task ends.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        await asyncio.to_thread(shutdown)
