"""kill -9 in the middle of a run, start again under the same executor id: the run finishes,
and the nodes that had finished before the crash are not repeated (a local HTTP server counts
the calls)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlmodel import select

from tests.support.http_peer import HttpPeer
from tests.support.runs import chat_with_graph, detail, edge, node
from workflow_chat.db import session_scope
from workflow_chat.engine import heartbeat
from workflow_chat.models import NodeRun, Run

ROOT = Path(__file__).resolve().parents[3]


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "ENGINE_EXECUTOR_ID": "crash-test-executor",
            "PYTHONPATH": str(ROOT), "ENGINE_MODE": "embedded"}


def _wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _node_status(run_id: str, node_id: str) -> str | None:
    with session_scope() as session:
        query = select(NodeRun.status).where(NodeRun.run_id == run_id, NodeRun.node_id == node_id)
        return session.exec(query).first()


def _run_status(run_id: str) -> str | None:
    with session_scope() as session:
        run = session.get(Run, run_id)
        return run.status if run else None


def test_a_run_killed_mid_way_finishes_after_a_restart_without_repeating_done_nodes(
    database_url: str, http_peer: HttpPeer
) -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("first", "http_request", {"method": "POST", "url": f"{http_peer.url}/first"}),
            node("wait", "delay", {"amount": 2, "unit": "seconds"}),
            node("second", "http_request", {"method": "POST", "url": f"{http_peer.url}/second",
                                            "body": "{{ nodes.first.output.status }}"}),
        ],
        "edges": [edge("start", "first"), edge("first", "wait"), edge("wait", "second")],
    })
    env = _env(database_url)
    doomed = subprocess.Popen(
        [sys.executable, "-m", "tests.support.run_then_hang", str(user_id), str(chat_id)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    restarted = None
    try:
        run_id = doomed.stdout.readline().strip()  # type: ignore[union-attr]
        assert run_id, "the first process did not start a run"
        _wait_until(lambda: _node_status(run_id, "wait") == "running", 20, "the delay to start")
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
        assert _run_status(run_id) == "running"  # nothing finished it
        calls_before = Counter(r.path for r in http_peer.requests)
        assert calls_before == {"/first": 1}

        restarted = subprocess.Popen([sys.executable, "-m", "workflow_chat.worker"], cwd=ROOT,
                                     env=env, start_new_session=True)
        _wait_until(lambda: _run_status(run_id) == "succeeded", 30, "the run to finish after the restart")
    finally:
        for process in (doomed, restarted):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        if doomed.stdout:
            doomed.stdout.close()

    assert Counter(r.path for r in http_peer.requests) == {"/first": 1, "/second": 1}
    run = detail(run_id)
    assert {n.node_id: n.status for n in run.nodes} == {
        "start": "succeeded", "first": "succeeded", "wait": "succeeded", "second": "succeeded"}
    second = next(r for r in http_peer.requests if r.path == "/second")
    assert second.raw_body.strip('"') == "200"  # the checkpointed output of `first` reached it
    assert second.headers["idempotency-key"] == f"{run_id}:second"


def test_a_live_process_takes_over_the_runs_of_an_executor_that_never_comes_back(
    database_url: str, http_peer: HttpPeer, engine  # noqa: ANN001 (the live process: this one)
) -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [
            node("start", "manual"),
            node("first", "http_request", {"method": "POST", "url": f"{http_peer.url}/first"}),
            node("wait", "delay", {"amount": 1, "unit": "seconds"}),
            node("second", "http_request", {"method": "POST", "url": f"{http_peer.url}/second"}),
        ],
        "edges": [edge("start", "first"), edge("first", "wait"), edge("wait", "second")],
    })
    env = {**_env(database_url), "ENGINE_EXECUTOR_ID": "lost-host-executor"}
    doomed = subprocess.Popen(
        [sys.executable, "-m", "tests.support.run_then_hang", str(user_id), str(chat_id)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        run_id = doomed.stdout.readline().strip()  # type: ignore[union-attr]
        _wait_until(lambda: _node_status(run_id, "wait") == "running", 20, "the delay to start")
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
        doomed.stdout.close()  # type: ignore[union-attr]

    assert heartbeat.take_over_stale(engine.executor_id, stale_seconds=60) == []  # still fresh
    assert heartbeat.take_over_stale(engine.executor_id, stale_seconds=0) == ["lost-host-executor"]
    _wait_until(lambda: _run_status(run_id) == "succeeded", 30, "the taken-over run to finish")
    assert Counter(r.path for r in http_peer.requests) == {"/first": 1, "/second": 1}
