"""Helpers for engine tests: a chat holding a graph, and waiting for a run to finish."""

from __future__ import annotations

from typing import Any

from dbos import DBOS

from workflow_chat.db import session_scope
from workflow_chat.graph import parse_workflow
from workflow_chat.services import chats, runs, workflows
from tests.support.accounts import make_user


def chat_with_graph(graph: dict[str, Any]) -> tuple[int, int]:
    """(user id, chat id) of a new user whose new chat's current version is `graph`."""
    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id)  # type: ignore[arg-type]
        workflows.save_version(session, chat=chat, graph=parse_workflow(graph), source="import")
        return user.id, chat.id  # type: ignore[return-value]


async def finished(run_id: str, timeout: float = 20) -> runs.RunDetail:
    """The run's stored record once its workflow has ended (a run of pure nodes is stored
    finished: it has no workflow)."""
    import asyncio

    stored = detail(run_id)
    if stored.run.status not in ("queued", "running"):
        return stored
    handle = await DBOS.retrieve_workflow_async(run_id)
    await asyncio.wait_for(handle.get_result(polling_interval_sec=0.05), timeout)
    return detail(run_id)


def detail(run_id: str) -> runs.RunDetail:
    with session_scope() as session:
        from workflow_chat.models import Run

        user_id = session.get(Run, run_id).user_id  # type: ignore[union-attr]
        return runs.get_run(session, user_id=user_id, run_id=run_id)


def node(graph_id: str, kind: str, config: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": graph_id, "kind": kind, "label": graph_id, "config": config or {}, **extra}


def edge(source: str, target: str, branch: str | None = None) -> dict[str, Any]:
    return {"id": f"{source}-{target}", "source": source, "target": target, "branch": branch}


async def settled(run_id: str, timeout: float = 20) -> runs.RunDetail:
    """The run's record once its row says it ended (for runs started elsewhere: schedules)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = detail(run_id)
        if run.run.status not in ("queued", "running"):
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish within {timeout} s")
