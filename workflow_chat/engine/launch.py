"""Start and stop DBOS in this process: the web app (embedded mode) or a worker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from dbos import DBOS, DBOSConfig

from workflow_chat.engine.settings import RUNS_QUEUE, EngineSettings, engine_settings

log = logging.getLogger(__name__)


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
        config["sys_db_pool_size"] = 1
    return config


def launch(settings: EngineSettings | None = None) -> EngineSettings:
    """Create and launch DBOS (blocking; call it in a thread from async code). Runs left
    pending by this executor id are recovered by DBOS.launch."""
    # Registers the workflows before launch so recovery can find them.
    from workflow_chat.engine import runner, schedules  # noqa: F401

    settings = settings or engine_settings()
    DBOS(config=dbos_config(settings))
    if not settings.listens:
        DBOS.listen_queues([])
    if settings.is_sqlite:
        _enable_wal(settings.system_database_url)
    DBOS.launch()
    # Declared by every process (schedules need it to exist); only listeners take from it.
    DBOS.register_queue(
        RUNS_QUEUE,
        worker_concurrency=settings.worker_concurrency,
        polling_interval_sec=settings.queue_polling_seconds,
    )
    return settings


def _enable_wal(url: str) -> None:
    # DBOS never turns WAL on for SQLite; without it every run waits on the file lock (+70 %).
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()


def shutdown() -> None:
    DBOS.destroy(destroy_registry=False)


@asynccontextmanager
async def engine_lifespan() -> AsyncIterator[None]:
    """Reflex lifespan task: the engine lives as long as the backend."""
    await asyncio.to_thread(launch)
    try:
        yield
    finally:
        await asyncio.to_thread(shutdown)
