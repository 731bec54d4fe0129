"""What the run records say while a durable run is under way: a slow step shows as running, a
run taken from the queue shows as running only once it is slow, and every finished run keeps
when it started and ended (the engine spares writes for what finishes too fast to see)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from dbos import DBOS

from tests.support.http_peer import HttpPeer, Reply
from tests.support.runs import chat_with_graph, detail, edge, node
from workflow_chat.db import session_scope
from workflow_chat.engine.runner import run_graph
from workflow_chat.services import runs

pytestmark = pytest.mark.usefixtures("engine")


def _fetching(url: str) -> dict[str, Any]:
    return {"nodes": [node("start", "manual"), node("fetch", "http_request", {"method": "GET", "url": url})],
            "edges": [edge("start", "fetch")]}


async def _watch(run_id: str) -> list[tuple[str, str | None]]:
    """(run status, fetch node status) each time either changed, until the run ended."""
    seen: list[tuple[str, str | None]] = []
    for _ in range(400):
        stored = detail(run_id)
        now = (stored.run.status, next((n.status for n in stored.nodes if n.node_id == "fetch"), None))
        if not seen or seen[-1] != now:
            seen.append(now)
        if stored.run.status not in runs.OPEN:
            return seen
        await asyncio.sleep(0.01)
    raise AssertionError(f"the run did not end: {seen}")


def test_a_slow_http_step_shows_as_running_until_its_answer_arrives(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(body={"late": True}, delay=0.6))
    user_id, chat_id = chat_with_graph(_fetching(f"{http_peer.url}/slow"))

    async def scenario() -> list[tuple[str, str | None]]:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        return await _watch(summary.id)

    seen = asyncio.run(scenario())
    assert ("running", "running") in seen
    assert seen[-1] == ("succeeded", "succeeded")


def _queued(graph: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    user_id, chat_id = chat_with_graph(graph)
    with session_scope() as session:
        run, stored = runs.create_run(session, user_id=user_id, chat_id=chat_id, trigger="schedule")
    return run.id, stored


def test_a_queued_run_that_ends_quickly_still_records_its_start_and_end(http_peer: HttpPeer) -> None:
    run_id, graph = _queued(_fetching(f"{http_peer.url}/fast"))

    async def scenario() -> None:
        handle = await DBOS.start_workflow_async(run_graph, run_id, graph, None)  # as a worker does
        await handle.get_result()

    asyncio.run(scenario())
    stored = detail(run_id).run
    assert stored.status == "succeeded"
    assert stored.started_at is not None and stored.finished_at is not None
    assert stored.started_at <= stored.finished_at


def test_a_queued_run_that_takes_a_while_shows_as_running(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(delay=0.6))
    run_id, graph = _queued(_fetching(f"{http_peer.url}/slow"))

    async def scenario() -> list[tuple[str, str | None]]:
        handle = await DBOS.start_workflow_async(run_graph, run_id, graph, None)
        seen = await _watch(run_id)
        await handle.get_result()
        return seen

    seen = asyncio.run(scenario())
    assert seen[0][0] == "queued" and ("running", "running") in seen
    assert seen[-1] == ("succeeded", "succeeded")
