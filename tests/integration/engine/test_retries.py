"""Retries against a real local HTTP server: growing waits, Retry-After honoured, one
idempotency key for every attempt, and a node that stays broken fails the run."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.http_peer import HttpPeer, Reply
from tests.support.runs import chat_with_graph, edge, finished, node
from workflow_chat.services import runs

pytestmark = pytest.mark.usefixtures("engine")


def _fetch_graph(url: str, retry: dict) -> dict:
    return {
        "nodes": [
            node("start", "manual"),
            node("fetch", "http_request", {"method": "POST", "url": url, "body": {"hello": "world"}},
                 retry=retry),
        ],
        "edges": [edge("start", "fetch")],
    }


def _run(user_id: int, chat_id: int) -> runs.RunDetail:
    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        return await finished(summary.id, timeout=30)

    return asyncio.run(scenario())


def test_a_flaky_endpoint_is_retried_with_growing_waits_and_succeeds(http_peer: HttpPeer) -> None:
    http_peer.script(
        Reply(500, {"error": "boom"}),
        Reply(503, "unavailable"),
        Reply(429, {"error": "slow down"}, headers={"Retry-After": "1"}),
        Reply(200, {"items": [1, 2, 3]}),
    )
    user_id, chat_id = chat_with_graph(_fetch_graph(
        f"{http_peer.url}/items",
        {"max_attempts": 5, "initial_delay_seconds": 0.2, "backoff": 2, "max_delay_seconds": 5},
    ))

    run = _run(user_id, chat_id)

    assert run.run.status == "succeeded", run.run.error
    fetch = next(n for n in run.nodes if n.node_id == "fetch")
    assert fetch.attempts == 4
    assert fetch.output["status"] == 200 and fetch.output["body"] == {"items": [1, 2, 3]}
    arrivals = [r.at for r in http_peer.requests]
    waits = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert len(waits) == 3
    assert 0.15 <= waits[0] < waits[1] < waits[2], waits  # 0.2 s, 0.4 s (±20 %), then 1 s
    assert waits[2] >= 0.95, f"Retry-After: 1 was not honoured ({waits[2]:.2f} s)"
    keys = {r.headers["idempotency-key"] for r in http_peer.requests}
    assert keys == {f"{run.run.id}:fetch"}  # the same key on every attempt


def test_a_node_that_keeps_failing_fails_the_run_after_its_attempts(http_peer: HttpPeer) -> None:
    http_peer.default = Reply(502, "bad gateway")
    user_id, chat_id = chat_with_graph(_fetch_graph(
        f"{http_peer.url}/down", {"max_attempts": 3, "initial_delay_seconds": 0.05, "backoff": 2},
    ))

    run = _run(user_id, chat_id)

    assert run.run.status == "failed"
    assert "502" in (run.run.error or "") and "after 3 attempts" in (run.run.error or "")
    assert len(http_peer.requests) == 3
    fetch = next(n for n in run.nodes if n.node_id == "fetch")
    assert fetch.status == "failed" and fetch.attempts == 3


def test_a_client_error_is_not_retried(http_peer: HttpPeer) -> None:
    http_peer.default = Reply(404, {"error": "no such thing"})
    user_id, chat_id = chat_with_graph(_fetch_graph(f"{http_peer.url}/missing", {"max_attempts": 4}))

    run = _run(user_id, chat_id)

    assert run.run.status == "failed" and "404" in (run.run.error or "")
    assert len(http_peer.requests) == 1
