"""The durable runner on SQLite and PostgreSQL: branches in parallel, conditions, joins,
failures and cancellation, observed through the run records users see."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.support.runs import chat_with_graph, detail, edge, finished, node
from workflow_chat.services import runs
from workflow_chat.services.errors import Invalid, NotFound

pytestmark = pytest.mark.usefixtures("engine")


def _statuses(run: runs.RunDetail) -> dict[str, str]:
    return {n.node_id: n.status for n in run.nodes}


def test_two_one_second_delays_on_parallel_branches_finish_in_under_1_6_s() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("left", "delay", {"amount": 1, "unit": "seconds"}),
            node("right", "delay", {"amount": 1, "unit": "seconds"}),
            node("join", "merge", {"mode": "all"}),
        ],
        "edges": [edge("start", "left"), edge("start", "right"), edge("left", "join"), edge("right", "join")],
    })

    async def scenario() -> tuple[runs.RunDetail, float]:
        began = time.perf_counter()
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        run = await finished(summary.id)
        return run, time.perf_counter() - began

    run, elapsed = asyncio.run(scenario())
    assert run.run.status == "succeeded", run.run.error
    assert _statuses(run) == {"start": "succeeded", "left": "succeeded", "right": "succeeded", "join": "succeeded"}
    # The nodes' own clock (first start → last finish), so a busy machine's dispatch does not count.
    began_at = min(n.started_at for n in run.nodes if n.started_at)
    ended_at = max(n.finished_at for n in run.nodes if n.finished_at)
    assert (ended_at - began_at).total_seconds() < 1.6, f"the branches took {ended_at - began_at}"
    assert elapsed < 3, f"the whole round trip took {elapsed:.2f} s"
    left, right = (next(n for n in run.nodes if n.node_id == i) for i in ("left", "right"))
    assert left.started_at < right.finished_at and right.started_at < left.finished_at  # overlapped


def test_a_condition_runs_one_branch_and_skips_the_other() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("big", "condition", {"expression": "trigger.amount > 100"}),
            node("alert", "transform", {"template": "big order {{ trigger.amount }}"}),
            node("log", "transform", {"template": "small order"}),
        ],
        "edges": [edge("start", "big"), edge("big", "alert", "true"), edge("big", "log", "false")],
    })

    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id, payload={"amount": 250})
        return await finished(summary.id)

    run = asyncio.run(scenario())
    assert run.run.status == "succeeded", run.run.error
    assert _statuses(run) == {"start": "succeeded", "big": "succeeded", "alert": "succeeded", "log": "skipped"}
    assert next(n for n in run.nodes if n.node_id == "alert").output == {"value": "big order 250"}


def test_a_failing_node_fails_the_run_with_its_error_and_later_nodes_do_not_run() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("shape", "transform", {"template": "{{ nodes.nowhere.output }}"}),
            node("after", "transform", {"template": "never"}),
        ],
        "edges": [edge("start", "shape"), edge("shape", "after")],
    })

    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        return await finished(summary.id)

    run = asyncio.run(scenario())
    assert run.run.status == "failed"
    assert run.run.error and run.run.error.startswith("shape:") and "nowhere" in run.run.error
    assert _statuses(run)["after"] == "skipped"
    assert run.run.finished_at is not None


def test_cancel_stops_a_run_before_its_next_node() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("start", "manual"), node("wait", "delay", {"amount": 3, "unit": "seconds"}),
                  node("after", "transform", {"template": "too late"})],
        "edges": [edge("start", "wait"), edge("wait", "after")],
    })

    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        await asyncio.sleep(0.5)
        await runs.cancel_run(user_id=user_id, run_id=summary.id)
        await asyncio.sleep(3.5)  # past the delay: the node after it must still not run
        return detail(summary.id)

    run = asyncio.run(scenario())
    assert run.run.status == "cancelled"
    assert _statuses(run).get("after") in (None, "skipped", "cancelled")


def test_nobody_can_start_read_or_cancel_another_users_runs() -> None:
    owner_id, chat_id = chat_with_graph({"nodes": [node("start", "manual")], "edges": []})
    stranger_id, _ = chat_with_graph({"nodes": [node("start", "manual")], "edges": []})

    async def scenario() -> str:
        summary = await runs.start_run(user_id=owner_id, chat_id=chat_id)
        await finished(summary.id)
        with pytest.raises(NotFound):
            await runs.start_run(user_id=stranger_id, chat_id=chat_id)
        with pytest.raises(NotFound):
            await runs.cancel_run(user_id=stranger_id, run_id=summary.id)
        return summary.id

    run_id = asyncio.run(scenario())
    from workflow_chat.db import session_scope

    with session_scope() as session:
        with pytest.raises(NotFound):
            runs.get_run(session, user_id=stranger_id, run_id=run_id)
        with pytest.raises(NotFound):
            runs.list_runs(session, user_id=stranger_id, chat_id=chat_id)
        assert [r.id for r in runs.list_runs(session, user_id=owner_id, chat_id=chat_id)] == [run_id]


def test_a_chat_without_a_workflow_cannot_run() -> None:
    from tests.support.accounts import make_user
    from workflow_chat.db import session_scope
    from workflow_chat.services import chats

    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id)  # type: ignore[arg-type]
        user_id, chat_id = user.id, chat.id
    with pytest.raises(Invalid, match="no workflow"):
        asyncio.run(runs.start_run(user_id=user_id, chat_id=chat_id))  # type: ignore[arg-type]


def test_the_run_view_shows_filled_in_inputs_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("WFC_SECRET_API_TOKEN", "tok-very-secret-123")
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("greet", "transform", {"template": "Hi {{ trigger.name }}, token {{ secrets.API_TOKEN }}"}),
        ],
        "edges": [edge("start", "greet")],
    })

    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id, payload={"name": "Ada"})
        return await finished(summary.id)

    run = asyncio.run(scenario())
    greet = next(n for n in run.nodes if n.node_id == "greet")
    assert greet.input["template"] == "Hi Ada, token ••••"
    assert greet.output == {"value": "Hi Ada, token ••••"}
    assert "tok-very-secret-123" not in repr(run)
    if database_url.startswith("sqlite"):  # the files on disk: app database and DBOS checkpoints
        from workflow_chat.settings import data_dir

        files = [Path(database_url.removeprefix("sqlite:///")), data_dir() / "dbos.sqlite"]
        stored = b"".join(p.read_bytes() for f in files for p in (f, Path(f"{f}-wal")) if p.exists())
        assert b"Hi Ada" in stored and b"tok-very-secret-123" not in stored


def test_while_a_slow_node_runs_the_nodes_before_it_already_show_as_done() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("start", "manual"), node("shape", "transform", {"template": "x"}),
                  node("wait", "delay", {"amount": 1, "unit": "seconds"})],
        "edges": [edge("start", "shape"), edge("shape", "wait")],
    })

    async def scenario() -> dict[str, str]:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        for _ in range(100):
            live = _statuses(detail(summary.id))
            if live.get("wait") == "running":
                await finished(summary.id)
                return live
            await asyncio.sleep(0.02)
        raise AssertionError("the delay never showed as running")

    assert asyncio.run(scenario()) == {"start": "succeeded", "shape": "succeeded", "wait": "running"}
