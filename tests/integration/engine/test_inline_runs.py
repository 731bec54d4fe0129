"""Runs of pure nodes happen at once, in the caller, and are stored finished in one go; runs with
a slow or side-effecting step still go through the durable engine."""

from __future__ import annotations

import asyncio

import pytest
from dbos import DBOS

from tests.support.runs import chat_with_graph, detail, edge, finished, node
from workflow_chat.db import session_scope
from workflow_chat.services import audit, credentials, runs, triggers

pytestmark = pytest.mark.usefixtures("engine")

BRANCHY = {
    "nodes": [
        node("start", "manual"),
        node("big", "condition", {"expression": "trigger.n > 10"}),
        node("yes", "transform", {"template": "big {{ trigger.n }}"}),
        node("no", "transform", {"template": "small {{ trigger.n }}"}),
        node("join", "merge", {"mode": "any"}),
    ],
    "edges": [edge("start", "big"), edge("big", "yes", "true"), edge("big", "no", "false"),
              edge("yes", "join"), edge("no", "join")],
}


def test_a_run_of_pure_nodes_is_finished_and_stored_when_start_returns() -> None:
    user_id, chat_id = chat_with_graph(BRANCHY)

    summary = asyncio.run(runs.start_run(user_id=user_id, chat_id=chat_id, payload={"n": 42}))

    assert summary.status == "succeeded" and summary.finished_at is not None
    stored = detail(summary.id)
    assert stored.run.status == "succeeded" and stored.input == {"n": 42}
    assert {n.node_id: n.status for n in stored.nodes} == {
        "start": "succeeded", "big": "succeeded", "yes": "succeeded", "no": "skipped", "join": "succeeded"}
    assert next(n for n in stored.nodes if n.node_id == "yes").output == {"value": "big 42"}
    # Nothing was checkpointed for it: no workflow to recover after a crash.
    assert asyncio.run(DBOS.list_workflows_async(workflow_ids=[summary.id])) == []


def test_a_failing_pure_node_fails_the_run_with_its_reason() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("start", "manual"), node("shape", "transform", {"template": "{{ nodes.nowhere.output.x }}"}),
                  node("after", "transform", {"template": "never"})],
        "edges": [edge("start", "shape"), edge("shape", "after")],
    })

    summary = asyncio.run(runs.start_run(user_id=user_id, chat_id=chat_id))

    assert summary.status == "failed" and summary.error and summary.error.startswith("shape: ")
    assert {n.node_id: n.status for n in detail(summary.id).nodes} == {
        "start": "succeeded", "shape": "failed", "after": "skipped"}


def test_a_pure_run_reads_the_owners_secret_and_stores_it_masked() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("start", "manual"), node("shape", "transform", {"template": "key={{ secrets.API_TOKEN }}"})],
        "edges": [edge("start", "shape")],
    })
    with session_scope() as session:
        credentials.create_credential(session, user_id=user_id, name="API_TOKEN", value="tok-inline-5150")

    summary = asyncio.run(runs.start_run(user_id=user_id, chat_id=chat_id))

    shape = next(n for n in detail(summary.id).nodes if n.node_id == "shape")
    assert summary.status == "succeeded" and shape.output == {"value": "key=••••"}
    assert "tok-inline-5150" not in repr(detail(summary.id))


def test_a_run_with_a_slow_step_still_goes_through_the_durable_engine() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("start", "manual"), node("wait", "delay", {"amount": 0.2, "unit": "seconds"})],
        "edges": [edge("start", "wait")],
    })

    async def scenario() -> tuple[runs.RunSummary, runs.RunDetail]:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        return summary, await finished(summary.id)

    summary, done = asyncio.run(scenario())
    assert summary.status == "running"
    assert done.run.status == "succeeded"
    assert len(asyncio.run(DBOS.list_workflows_async(workflow_ids=[summary.id]))) == 1


def test_a_webhook_run_is_audited_with_the_callers_address() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("hook", "webhook", {"method": "POST"}), node("shape", "transform", {"template": "ok"})],
        "edges": [edge("hook", "shape")],
    })
    with session_scope() as session:
        path = triggers.get_triggers(session, user_id=user_id, chat_id=chat_id).webhook_path
    token = path.rsplit("/", 1)[1]  # type: ignore[union-attr]

    summary = asyncio.run(triggers.start_webhook_run(chat_id=chat_id, token=token, method="POST",
                                                     payload={"n": 1}, ip="192.0.2.7"))

    with session_scope() as session:
        events = audit.list_events(session, user_id=user_id)
    started = [e for e in events if e.action == "run.start"]
    assert [(e.target, e.detail, e.ip) for e in started] == [
        (f"run:{summary.id}", {"trigger": "webhook", "chat": chat_id}, "192.0.2.7")]
