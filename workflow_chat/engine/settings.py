"""Engine settings from the environment: where DBOS keeps its state and who this process is."""

from __future__ import annotations

import os

from pydantic import BaseModel

from workflow_chat.settings import data_dir, database_url

# Bump when the runner's step order changes: recovery only resumes runs of the same version.
APPLICATION_VERSION = "wfc-engine-1"
RUNS_QUEUE = "runs"


class EngineSettings(BaseModel):
    system_database_url: str
    role: str = "app"
    # Empty until launch() claims a host slot (see executor_slot.py).
    executor_id: str = ""
    application_version: str = APPLICATION_VERSION
    # "embedded": this process starts and runs its own runs; "queue": runs go through the
    # database queue and `python -m workflow_chat.worker` processes take them.
    mode: str = "embedded"
    # Whether this process takes runs from the queue (workers, or an embedded app).
    listens: bool = True
    max_executor_threads: int = 8
    worker_concurrency: int = 32
    queue_polling_seconds: float = 1.0
    scheduler_polling_seconds: float = 5.0

    @property
    def is_sqlite(self) -> bool:
        return self.system_database_url.startswith("sqlite")


def system_database_url() -> str:
    """DBOS's own database. On SQLite a separate file, so `reflex db makemigrations` never sees
    DBOS's tables; on PostgreSQL the app's server (DBOS keeps to its `dbos` schema)."""
    explicit = os.environ.get("DBOS_SYSTEM_DATABASE_URL")
    if explicit:
        return explicit
    url = database_url()
    if url.startswith("sqlite"):
        return f"sqlite:///{data_dir() / 'dbos.sqlite'}"
    return url


def engine_settings(*, role: str = "app") -> EngineSettings:
    """Settings for this process. The executor id must be stable across restarts of the same
    process slot (recovery resumes the runs of a dead executor with the same id): without
    ENGINE_EXECUTOR_ID, launch() claims a slot on this host."""
    mode = os.environ.get("ENGINE_MODE", "embedded")
    return EngineSettings(
        system_database_url=system_database_url(),
        role=role,
        executor_id=os.environ.get("ENGINE_EXECUTOR_ID", ""),
        mode=mode,
        listens=role == "worker" or mode == "embedded",
        max_executor_threads=int(os.environ.get("ENGINE_THREADS", "8")),
        worker_concurrency=int(os.environ.get("ENGINE_CONCURRENCY", "32")),
        scheduler_polling_seconds=float(os.environ.get("ENGINE_SCHEDULER_POLL", "5")),
        # Every poll is a query on the system database: in embedded mode only scheduled runs
        # use the queue, so a slow poll costs little; workers need a fast one.
        queue_polling_seconds=float(os.environ.get("ENGINE_QUEUE_POLL", "0.05" if mode == "queue" else "1")),
    )
