"""The engine's lifespan inside the web backend: after it stops, the backend can still finish
its own shutdown work (Reflex flushes session state through the loop's default executor)."""

from __future__ import annotations

import asyncio

import pytest
from dbos import DBOS

from tests.support.runs import chat_with_graph, finished, node
from workflow_chat.engine.launch import engine_lifespan
from workflow_chat.services import runs


def test_backend_can_still_use_threads_after_the_engine_stops(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGINE_EXECUTOR_ID", "lifespan-test")
    DBOS.destroy(destroy_registry=False)

    async def backend_life() -> str:
        async with engine_lifespan():
            user_id, chat_id = chat_with_graph({"nodes": [node("start", "manual")], "edges": []})
            summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
            assert (await finished(summary.id)).run.status == "succeeded"
        # What Reflex's state manager does while closing, after the lifespan tasks ended.
        return await asyncio.get_running_loop().run_in_executor(None, lambda: "state flushed")

    assert asyncio.run(backend_life()) == "state flushed"
