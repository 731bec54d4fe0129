"""Engine throughput and overhead, driven over real HTTP (run by hand, not in the suite).

    .venv/bin/python tests/benchmarks/bench_engine.py [--seconds 20] [--concurrency 16]
        [--drain 10000] [--skip-sqlite] [--skip-postgres]

1. Executions per second of a webhook -> transform -> respond workflow (POST ?wait=true, the
   answer carries the transform's output), with bounded concurrency, against
   a. one app process (`reflex run --env prod --backend-only`) on SQLite, engine embedded;
   b. the app on PostgreSQL in queue mode with 2 `python -m workflow_chat.worker` processes.
2. The engine's overhead per node, p50/p95: the extra time one more node adds to a run, for a
   pure node (transform) and for a durable step (http_request to a local server, minus that
   server's own round trip), plus the CPU each extra node costs (steadier on a shared machine).
   Measured in-process on SQLite.
3. A drain of N queued runs (webhook -> http_request to a counting HTTP sink) on PostgreSQL with
   2 workers: runs/s, and how many the sink saw lost or duplicated (both must be 0).
Anchor: n8n reports up to 220 executions/s on one 2-vCPU instance for a similar workflow. The
callers use a hand-written keep-alive HTTP/1.1 client (tests/support/http_load.py): they share
the 2 cores with the server, and httpx would cost them as much CPU as the server spends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.http_load import Connection  # noqa: E402
VENV_BIN = ROOT / ".venv" / "bin"
N8N_ANCHOR = 220.0
PG_ADMIN = "postgresql://127.0.0.1:5432/postgres"

RESPOND = {
    "nodes": [
        {"id": "hook", "kind": "webhook", "label": "Webhook", "config": {"method": "POST"}},
        {"id": "shape", "kind": "transform", "label": "Shape",
         "config": {"template": '{"doubled": {{ trigger.n * 2 }}}', "parse_json": True}},
    ],
    "edges": [{"id": "e1", "source": "hook", "target": "shape"}],
}


def drain_graph(sink: str) -> dict:
    return {
        "nodes": [
            {"id": "hook", "kind": "webhook", "label": "Webhook", "config": {"method": "POST"}},
            {"id": "deliver", "kind": "http_request", "label": "Deliver",
             "config": {"method": "POST", "url": sink, "body": {"n": "{{ trigger.n }}"}}},
        ],
        "edges": [{"id": "e1", "source": "hook", "target": "deliver"}],
    }


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a counting HTTP sink -------------------------------------------------------------------

class Sink:
    """Counts deliveries by Idempotency-Key (run_id:node_id): one per run means none lost or
    duplicated."""

    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to every answer

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                with sink.lock:
                    sink.keys[self.headers.get("idempotency-key", "?")] += 1
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/deliver"


# --- processes ------------------------------------------------------------------------------

def app_copy() -> Path:
    """The app tree in a temp dir: `reflex run` must not share /work/main with the test suite."""
    target = Path(tempfile.mkdtemp(prefix="bench_engine_app_"))
    shutil.copytree(ROOT, target, dirs_exist_ok=True, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "data", "node_modules", ".venv", "tests"))
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def start(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_healthy(base: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the backend at {base} did not become healthy")


def environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "WORKFLOW_CHAT_DATA_DIR": str(data_dir),
           "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "REFLEX_USE_NPM": "1", **extra}
    for name in ("LLM_API_KEY", "OPENAI_API_KEY"):
        env.pop(name, None)
    return env


def webhook_for(database_url: str, graph: dict) -> str:
    """A user and a chat holding `graph`; returns the webhook path."""
    os.environ["DATABASE_URL"] = database_url
    from workflow_chat.db import migrate, session_scope
    from workflow_chat.graph import parse_workflow
    from workflow_chat.services import accounts, chats, triggers, workflows

    migrate(database_url)
    with session_scope(database_url) as session:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        user = accounts.register(session, username=name, email=f"{name}@example.com", password="password123")
        chat = chats.create_chat(session, user_id=user.id)
        workflows.save_version(session, chat=chat, graph=parse_workflow(graph), source="import")
        path = triggers.get_triggers(session, user_id=user.id, chat_id=chat.id).webhook_path
    assert path
    return path


# --- load ---------------------------------------------------------------------------------

async def drive(url: str, *, seconds: float, concurrency: int, wait: bool) -> dict:
    """POST as fast as `concurrency` callers can for `seconds`; counts answers that carry the
    expected result."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    stop_at = time.monotonic() + seconds
    target = httpx.URL(url).raw_path.decode() + ("?wait=true" if wait else "")

    async def caller(worker: int) -> None:
        connection = Connection(url)
        n = worker * 1_000_000
        while time.monotonic() < stop_at:
            n += 1
            began = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(connection.post(target, {"n": n}), 60)
                ok = status == (200 if wait else 202)
                if ok and wait:
                    ok = json.loads(body).get("output") == {"value": {"doubled": n * 2}}
                if not ok:
                    errors[f"{status}"] += 1
                    continue
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as error:
                errors[type(error).__name__] += 1
                connection = Connection(url)
                continue
            latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(caller(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - began
    return {"rate": len(latencies) / elapsed, "count": len(latencies), "errors": dict(errors),
            "p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95)}


def report_rate(title: str, result: dict) -> None:
    print(f"{title}: {result['rate']:.0f} executions/s ({result['count']} runs), "
          f"latency p50 {result['p50']:.0f} ms / p95 {result['p95']:.0f} ms, errors {result['errors'] or 0}; "
          f"{result['rate'] / N8N_ANCHOR:.2f}x n8n's 220/s")


# --- scenarios ------------------------------------------------------------------------------

def bench_sqlite(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench_engine_sqlite_"))
    url = f"sqlite:///{work / 'app.sqlite'}"
    os.environ["WORKFLOW_CHAT_DATA_DIR"] = str(work)
    path = webhook_for(url, RESPOND)
    port = free_port()
    app_dir = app_copy()
    env = environment(url, work, ENGINE_MODE="embedded", REFLEX_API_URL=f"http://127.0.0.1:{port}")
    backend = start([str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                     "--backend-port", str(port)], app_dir, env, work / "backend.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)
        asyncio.run(drive(base + path, seconds=2, concurrency=args.concurrency, wait=True))  # warm
        report_rate("SQLite, 1 process, webhook -> transform -> respond",
                    asyncio.run(drive(base + path, seconds=args.seconds, concurrency=args.concurrency, wait=True)))
    finally:
        stop(backend)


def bench_postgres(args: argparse.Namespace) -> None:
    name = f"bench_engine_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://127.0.0.1:5432/{name}"
    work = Path(tempfile.mkdtemp(prefix="bench_engine_pg_"))
    os.environ["WORKFLOW_CHAT_DATA_DIR"] = str(work)
    sink = Sink()
    respond_path = webhook_for(url, RESPOND)
    drain_path = webhook_for(url, drain_graph(sink.url))
    port = free_port()
    app_dir = app_copy()
    env = environment(url, work, ENGINE_MODE="queue", REFLEX_API_URL=f"http://127.0.0.1:{port}")
    backend = start([str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                     "--backend-port", str(port)], app_dir, env, work / "backend.log")
    workers = [start([str(VENV_BIN / "python"), "-m", "workflow_chat.worker"], app_dir, env,
                     work / f"worker{i}.log") for i in range(2)]
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)
        asyncio.run(drive(base + respond_path, seconds=2, concurrency=args.concurrency, wait=True))
        report_rate("PostgreSQL, app + 2 workers, webhook -> transform -> respond",
                    asyncio.run(drive(base + respond_path, seconds=args.seconds,
                                      concurrency=args.concurrency, wait=True)))
        if args.drain:
            drain(base + drain_path, sink, args.drain, args.concurrency)
    finally:
        stop(backend, *workers)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drain(url: str, sink: Sink, total: int, concurrency: int) -> None:
    async def enqueue() -> int:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(total):
            queue.put_nowait(n)
        accepted = 0
        target = httpx.URL(url).raw_path.decode()

        async def caller() -> None:
            nonlocal accepted
            connection = Connection(url)
            while not queue.empty():
                n = queue.get_nowait()
                for _ in range(5):  # a refused call is retried by the client, as a caller would
                    try:
                        status, _ = await asyncio.wait_for(connection.post(target, {"n": n}), 60)
                    except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
                        connection = Connection(url)  # not retried: it may have been stored
                        break
                    if status == 202:
                        accepted += 1
                        break

        await asyncio.gather(*(caller() for _ in range(concurrency)))
        return accepted

    began = time.perf_counter()
    accepted = asyncio.run(enqueue())
    enqueued_in = time.perf_counter() - began
    last, still = -1, time.monotonic()
    while True:
        seen = len(sink.keys)
        if seen >= accepted:
            break
        if seen != last:
            last, still = seen, time.monotonic()
        elif time.monotonic() - still > 60:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - began
    unique = len(sink.keys)
    duplicated = sum(count - 1 for count in sink.keys.values() if count > 1)
    print(f"drain of {total} queued runs (2 workers, PostgreSQL): accepted {accepted} in {enqueued_in:.1f} s, "
          f"all delivered after {elapsed:.1f} s ({unique / elapsed:.0f} runs/s); "
          f"lost {accepted - unique + (total - accepted)}, duplicated {duplicated}")


def bench_overhead(args: argparse.Namespace) -> None:
    """In-process on SQLite: (run time of a chain of 11 nodes - median of a chain of 1) / 10,
    minus the peer's own round trip for http_request."""
    work = Path(tempfile.mkdtemp(prefix="bench_engine_overhead_"))
    url = f"sqlite:///{work / 'app.sqlite'}"
    os.environ.update(DATABASE_URL=url, WORKFLOW_CHAT_DATA_DIR=str(work), ENGINE_EXECUTOR_ID="bench")
    sink = Sink()
    from tests.support.runs import chat_with_graph
    from workflow_chat.db import migrate
    from workflow_chat.engine import launch
    from workflow_chat.services import runs

    migrate(url)
    launch.launch()

    def chain(kind: str, length: int) -> dict:
        config = ({"template": "{{ trigger.n }}"} if kind == "transform"
                  else {"method": "POST", "url": sink.url, "body": {"n": 1}})
        nodes = [{"id": "start", "kind": "manual", "label": "Start", "config": {}}]
        nodes += [{"id": f"n{i}", "kind": kind, "label": f"n{i}", "config": config} for i in range(length)]
        edges = [{"id": f"e{i}", "source": nodes[i]["id"], "target": nodes[i + 1]["id"]} for i in range(length)]
        return {"nodes": nodes, "edges": edges}

    async def timed_run(user_id: int, chat_id: int, n: int) -> tuple[float, float]:
        """(wall ms, CPU ms of this whole process) of one run, start to result."""
        began, cpu = time.perf_counter(), time.process_time()
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id, payload={"n": n})
        result = await runs.wait_for_result(summary.id, timeout=30)
        assert result and result["status"] == "succeeded", result
        return (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000

    async def peer_round_trip(client: httpx.AsyncClient) -> tuple[float, float]:
        began, cpu = time.perf_counter(), time.process_time()
        await client.post(sink.url, json={"n": 1})
        return (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000

    async def interleaved(short: tuple[int, int], long: tuple[int, int], peer: bool, rounds: int):
        """Short run, long run and peer call in turn, so load that comes and goes on a shared
        machine weighs on all three alike."""
        samples: dict[str, list[tuple[float, float]]] = {"short": [], "long": [], "peer": []}
        async with httpx.AsyncClient() as client:
            for n in range(rounds):
                samples["short"].append(await timed_run(*short, n))
                samples["long"].append(await timed_run(*long, n))
                if peer:
                    samples["peer"].append(await peer_round_trip(client))
        return samples

    def median_of(samples: list[tuple[float, float]], index: int) -> float:
        return statistics.median(s[index] for s in samples) if samples else 0.0

    rounds, extra = args.overhead_rounds, 10
    try:
        for kind in ("transform", "http_request"):
            short = chat_with_graph(chain(kind, 1))
            long = chat_with_graph(chain(kind, 1 + extra))
            asyncio.run(interleaved(short, long, kind == "http_request", 5))  # warm
            got = asyncio.run(interleaved(short, long, kind == "http_request", rounds))
            base, peer = median_of(got["short"], 0), median_of(got["peer"], 0)
            per_node = [(wall - base) / extra - peer for wall, _ in got["long"]]
            # CPU spent by the whole process (engine, SQLite, the peer's thread) per extra node,
            # minus what one peer call costs: steadier than wall time when others share the cores.
            cpu = (median_of(got["long"], 1) - median_of(got["short"], 1)) / extra - median_of(got["peer"], 1)
            label = "pure node (transform)" if kind == "transform" else \
                f"durable step (http_request, minus the peer's {peer:.2f} ms round trip)"
            print(f"engine overhead per node, {label}: p50 {pct(per_node, 0.5):.2f} ms, "
                  f"p95 {pct(per_node, 0.95):.2f} ms ({pct(per_node, 0.95) / 5:.2f}x the 5 ms target); "
                  f"CPU {cpu:.2f} ms per node")
    finally:
        launch.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--drain", type=int, default=10_000)
    parser.add_argument("--overhead-rounds", type=int, default=100)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-overhead", action="store_true")
    args = parser.parse_args()
    if not args.skip_overhead:
        bench_overhead(args)
    if not args.skip_sqlite:
        bench_sqlite(args)
    if not args.skip_postgres:
        bench_postgres(args)


if __name__ == "__main__":
    main()
