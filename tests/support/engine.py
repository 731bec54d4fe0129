"""A launched DBOS engine for tests: fresh system database per test, destroyed afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dbos import DBOS

from workflow_chat.engine import launch
from workflow_chat.engine.settings import EngineSettings, engine_settings


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[EngineSettings]:
    """DBOS launched on the test's database (its own SQLite file, or the test's PostgreSQL
    database where DBOS keeps to schema `dbos`), with fast polling for queues and schedules."""
    monkeypatch.setenv("ENGINE_SCHEDULER_POLL", "0.2")
    monkeypatch.setenv("ENGINE_EXECUTOR_ID", "test-executor")
    DBOS.destroy(destroy_registry=False)
    settings = launch.launch(engine_settings())
    try:
        yield settings
    finally:
        launch.shutdown()
