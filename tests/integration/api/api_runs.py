"""Helpers for API tests that run workflows: give a chat a graph that runs offline, and follow
a run through the API until it ends."""

from __future__ import annotations

import time
from typing import Any

from tests.integration.api.api_users import API
from tests.support.runs import edge, node
from workflow_chat.db import session_scope
from workflow_chat.services import chats, workflows

# manual trigger → transform: runs in milliseconds, no network.
GREET = {
    "nodes": [node("start", "manual"),
              node("greet", "transform", {"template": "hello {{ trigger.name }}"})],
    "edges": [edge("start", "greet")],
}


def set_graph(user_id: int, chat_id: int, graph: dict[str, Any] = GREET) -> None:
    """Make `graph` the chat's current version (as an import would)."""
    with session_scope() as session:
        chat = chats.owned_chat(session, user_id=user_id, chat_id=chat_id)
        workflows.save_version(session, chat=chat, graph=graph, source="import")


def wait_for_run(client, run_id: str, headers: dict[str, str], timeout: float = 20) -> dict:
    """GET /runs/{id} once the run has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"{API}/runs/{run_id}", headers=headers).json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish within {timeout} s")
