"""Runs that need no checkpoint. A graph of pure nodes only (triggers, transform, condition,
merge) computes the same result from the same input every time, so it runs at once in the
caller and is stored with its result in one transaction (services/runs.py). Acknowledged means
recorded, as for a durable run: a crash before that commit stores nothing and the caller gets
no answer to retry. A DBOS workflow would add two writes and two thread hops to each such run,
about a third of a webhook's cost (tests/benchmarks/bench_engine.py)."""

from __future__ import annotations

import asyncio
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from workflow_chat.engine import secrets
from workflow_chat.engine.bounded import BoundedDict
from workflow_chat.engine.outcome import NodeOutcome
from workflow_chat.engine.runner import walk_graph
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.nodes.registry import get_kind

# Results of inline runs a caller may still ask for (a webhook with ?wait=true), bounded.
_results: BoundedDict[str, dict[str, Any]] = BoundedDict(limit=10_000)


@dataclass(frozen=True)
class InlineRun:
    result: dict[str, Any]  # {"status", "error", "output"}
    outcomes: list[NodeOutcome]
    started_at: datetime
    finished_at: datetime


def fits(graph: Workflow) -> bool:
    """Every node is pure and tried once: nothing to checkpoint, nothing to wait for."""
    return all(_instant(node) for node in graph.nodes)


def _instant(node: Node) -> bool:
    kind = get_kind(node.kind)
    retried = node.retry is not None and node.retry.max_attempts > 1
    return kind is not None and not kind.side_effect and node.kind != "delay" and not retried


async def run(run_id: str, graph: Workflow, trigger: Any, *, owner_id: int) -> InlineRun:
    secrets.remember_owner(run_id, owner_id)  # the row does not exist yet; templates may ask
    started = datetime.now(timezone.utc)
    walk = await walk_graph(run_id, graph, trigger)
    return InlineRun(result=walk.result(), outcomes=walk.all_outcomes(), started_at=started,
                     finished_at=datetime.now(timezone.utc))


def run_in_thread(run_id: str, graph: Workflow, trigger: Any, *, owner_id: int) -> InlineRun:
    """run() from a worker thread, on that thread's own event loop. Pure nodes never wait, so
    the loop only sequences them; the caller's thread hop that reads the graph and stores the
    run then carries the run too (one hop instead of three), and a secret a template reads
    from the vault blocks this thread, not the server's loop."""
    loop = getattr(_thread, "loop", None)
    if loop is None:
        loop = _thread.loop = asyncio.new_event_loop()
        weakref.finalize(threading.current_thread(), loop.close)  # when the pool drops the thread
    return loop.run_until_complete(run(run_id, graph, trigger, owner_id=owner_id))


_thread = threading.local()


def keep_result(run_id: str, result: dict[str, Any]) -> None:
    """Once the run is stored: a caller waiting for it gets it without a query."""
    _results[run_id] = result


def take_result(run_id: str) -> dict[str, Any] | None:
    return _results.pop(run_id, None)
