"""Runs through the API on the real engine: start with input, follow to the end, list, read."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.integration.api.api_runs import GREET, set_graph, wait_for_run
from tests.integration.api.api_users import API, Caller
from workflow_chat.db import session_scope
from workflow_chat.models import AuditEvent

pytestmark = pytest.mark.usefixtures("engine")


def _chat_with(client, user: Caller, graph: dict | None) -> int:
    """A new chat of the user's holding `graph` as its current version (none when None)."""
    chat = client.post(f"{API}/chats", json={"title": "Greeter"}, headers=user.headers).json()["id"]
    if graph is not None:
        set_graph(user.id, chat, graph)
    return chat


def test_start_a_run_with_input_and_read_its_node_records(client, alice):
    chat_id = _chat_with(client, alice, GREET)
    started = client.post(f"{API}/chats/{chat_id}/runs", json={"input": {"name": "Ada"}},
                          headers=alice.headers)
    assert started.status_code == 202, started.text
    assert started.json()["trigger"] == "manual" and started.json()["version_number"] == 1
    run = wait_for_run(client, started.json()["id"], alice.headers)
    assert run["status"] == "succeeded" and run["input"] == {"name": "Ada"}
    greet = next(n for n in run["nodes"] if n["node_id"] == "greet")
    assert greet["status"] == "succeeded" and greet["output"] == {"value": "hello Ada"}
    assert greet["duration_ms"] is not None and run["duration_ms"] is not None
    with session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "run.start")).one()
    assert event.ip == "testclient"


def test_runs_list_newest_first_across_pages_and_without_input(client, alice):
    chat_id = _chat_with(client, alice, GREET)
    ids = []
    for _ in range(3):
        answer = client.post(f"{API}/chats/{chat_id}/runs", headers=alice.headers)  # no body
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
        wait_for_run(client, ids[-1], alice.headers)
    first = client.get(f"{API}/chats/{chat_id}/runs", params={"limit": 2}, headers=alice.headers).json()
    rest = client.get(f"{API}/chats/{chat_id}/runs",
                      params={"limit": 2, "cursor": first["next_cursor"]}, headers=alice.headers).json()
    assert [r["id"] for r in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None


def test_a_chat_without_a_workflow_cannot_run(client, alice):
    chat_id = _chat_with(client, alice, None)
    refused = client.post(f"{API}/chats/{chat_id}/runs", json={}, headers=alice.headers)
    assert refused.status_code == 422
    assert "no workflow to run yet" in refused.json()["error"]["message"]
    assert client.get(f"{API}/chats/{chat_id}/runs", headers=alice.headers).json()["items"] == []


def test_cancel_a_finished_run_leaves_it_as_it_was(client, alice):
    chat_id = _chat_with(client, alice, GREET)
    run_id = client.post(f"{API}/chats/{chat_id}/runs", json={"input": {"name": "Bo"}},
                         headers=alice.headers).json()["id"]
    done = wait_for_run(client, run_id, alice.headers)
    cancelled = client.post(f"{API}/runs/{run_id}/cancel", headers=alice.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "succeeded"
    assert client.get(f"{API}/runs/{run_id}", headers=alice.headers).json() == done
