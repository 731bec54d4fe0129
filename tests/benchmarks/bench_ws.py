"""Websocket benchmark: N concurrent tabs (default 200) log in, open a chat and send messages
answered by the offline planner, against 1 backend worker (state in memory) and against 2
workers sharing state through Redis (Reflex's own multi-worker mode: one port, GRANIAN_WORKERS=2).

Run by hand (not part of the suite), on this machine only:

    .venv/bin/python tests/benchmarks/bench_ws.py [--clients 200] [--messages 3] [--think 5]

A round trip is the time from sending an event to receiving the delta that completes it
(tests/support/reflex_client.py): for a message, the delta that shows the stored answer with
nothing sending any more. Phase 1 signs the accounts up, each in a tab it then closes; phase 2
opens a fresh tab per account that logs in on the login page and opens a new chat, both with
bounded concurrency (sign-up and login each run bcrypt at cost 12: about 0.3 s of CPU, by
design); phase 3 keeps all tabs open while each sends its messages after a random pause (mean
`--think` seconds), which sets the offered load. Each configuration gets a fresh PostgreSQL database and
an emptied Redis database (13 is the scale-out test's, this uses 14). Rate limits are off: every
tab comes from 127.0.0.1, where a deployment would see 200 addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg  # noqa: E402
import redis  # noqa: E402

from tests.support.backend_workers import start_workers, stop_workers  # noqa: E402
from tests.support.reflex_client import (  # noqa: E402
    WORKSPACE, ReflexClient, chat_tab, login, new_chat, register, send_message,
)

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_WS_REDIS_URL", "redis://127.0.0.1:6379/14")
PROMPTS = [
    "every morning at 8 fetch https://example.com/api/items and email me a summary",
    "also post it to Slack",
    "when a webhook arrives, summarise the body with an LLM and email it to me",
    "every hour fetch https://example.com/status and post to Slack if it is down",
]
# name -> (backend servers, processes per server, Redis)
CONFIGS = {"1": (1, 1, False), "1r": (1, 1, True), "2r": (1, 2, True)}
LABELS = {"1": "1 worker, state in memory", "1r": "1 worker, state in Redis",
          "2r": "2 workers (GRANIAN_WORKERS=2), state in Redis"}


class Recorder:
    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def timed(self, kind: str, step) -> bool:  # type: ignore[no-untyped-def]
        try:
            self.seconds[kind].append(await step)
            return True
        except Exception as exc:  # every failure counts, whatever it is
            self.errors[kind].append(f"{type(exc).__name__}: {exc}"[:200])
            return False


PASSWORD = "bench password 1"


async def sign_up(url: str, rec: Recorder, gate: asyncio.Semaphore) -> str | None:
    """A new account (its username), signed up in a tab that is then closed."""
    username = f"b{uuid.uuid4().hex[:10]}"
    async with gate, chat_tab(url, timeout=60) as tab:
        ok = (await rec.timed("connect", tab.connect("/register"))
              and await rec.timed("register", register(tab, username, PASSWORD)))
    return username if ok else None


async def sign_in(url: str, rec: Recorder, gate: asyncio.Semaphore, username: str) -> ReflexClient | None:
    """A fresh tab that logs in to the account and opens a new chat."""
    async with gate:
        tab = chat_tab(url, timeout=60)
        ok = (await rec.timed("connect", tab.connect("/login"))
              and await rec.timed("login", login(tab, username, PASSWORD))
              and await rec.timed("new_chat", new_chat(tab)))
        if ok:
            return tab
        await tab.close()
        return None


async def chat(tab: ReflexClient, rec: Recorder, messages: int, think: float) -> None:
    for n in range(messages):
        await asyncio.sleep(random.uniform(0, 2 * think))
        if not await rec.timed("message", send_message(tab, PROMPTS[n % len(PROMPTS)])):
            return
        if tab.get(WORKSPACE, "messages")[-1]["status"] == "error":
            rec.errors["message"].append("the answer failed")


def server_cpu_seconds(workers: list) -> float:  # type: ignore[type-arg]
    """CPU time used so far by every process of the backend servers (supervisors and workers)."""
    total = 0.0
    for proc_dir in Path("/proc").iterdir():
        try:
            if proc_dir.name.isdigit() and os.getpgid(int(proc_dir.name)) in {w.proc.pid for w in workers}:
                fields = (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            continue
    return total


async def run_clients(url: str, args: argparse.Namespace, workers: list) -> tuple[Recorder, float, float]:  # type: ignore[type-arg]
    """Sign the accounts up, log a tab in to each, then let them chat; returns the recorder, the
    chat phase's seconds and the servers' CPU seconds in that phase."""
    rec, gate = Recorder(), asyncio.Semaphore(args.concurrency)
    names = [n for n in await asyncio.gather(*(sign_up(url, rec, gate) for _ in range(args.clients))) if n]
    tabs = [t for t in await asyncio.gather(*(sign_in(url, rec, gate, n) for n in names)) if t]
    started, cpu = time.perf_counter(), server_cpu_seconds(workers)
    await asyncio.gather(*(chat(tab, rec, args.messages, args.think) for tab in tabs))
    elapsed, cpu = time.perf_counter() - started, server_cpu_seconds(workers) - cpu
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    return rec, elapsed, cpu


def bench(config: str, args: argparse.Namespace) -> None:
    servers, processes, use_redis = CONFIGS[config]
    name = f"wc_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    env = {"DATABASE_URL": database_url, "RATE_LIMITS_ENABLED": "0",
           "JWT_SECRET": "bench-" + uuid.uuid4().hex}
    if use_redis:
        env["REFLEX_REDIS_URL"] = REDIS_URL
    root = Path(tempfile.mkdtemp(prefix="bench_ws_"))
    workers = start_workers(servers, root=root, env=env, processes=processes)
    try:
        load_before = os.getloadavg()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        rec, elapsed, server_cpu = asyncio.run(run_clients(workers[0].url, args, workers))
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        report(config, args, rec, elapsed, load_before, os.getloadavg(),
               (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime),
               server_cpu)
    finally:
        stop_workers(workers)
        shutil.rmtree(root, ignore_errors=True)
        store.flushdb()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(config: str, args: argparse.Namespace, rec: Recorder, elapsed: float,
           load_before: tuple[float, ...], load_after: tuple[float, ...], client_cpu: float,
           server_cpu: float) -> None:
    print(f"\n== {LABELS[config]}: {args.clients} clients, {args.messages} messages each, "
          f"think {args.think:.1f} s mean, sign-up and login concurrency {args.concurrency}")
    print(f"   load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores); "
          f"benchmark process CPU {client_cpu:.1f} s")
    print(f"   {'event':<10}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for kind in ("connect", "register", "login", "new_chat", "message"):
        values = sorted(rec.seconds.get(kind, []))
        if values:
            p50, p95 = statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]
            row = f"{p50 * 1000:>9.0f}{p95 * 1000:>9.0f}{values[-1] * 1000:>9.0f}"
        else:
            row = f"{'-':>9}{'-':>9}{'-':>9}"
        print(f"   {kind:<10}{len(values):>6}{row}{len(rec.errors.get(kind, [])):>8}")
    sent = len(rec.seconds.get("message", []))
    print(f"   messages: {sent} answered in {elapsed:.1f} s ({sent / elapsed:.1f}/s); backend CPU "
          f"{server_cpu:.1f} s in that phase, {1000 * server_cpu / max(sent, 1):.0f} ms per message")
    for kind, errors in rec.errors.items():
        for error in sorted(set(errors))[:3]:
            print(f"   error ({kind}): {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=3, help="messages per client")
    parser.add_argument("--think", type=float, default=5.0, help="mean pause before a message, s")
    parser.add_argument("--concurrency", type=int, default=16, help="sign-ups (logins) in flight at once")
    parser.add_argument("--configs", default="1,2r", help="comma-separated: 1, 1r, 2r")
    args = parser.parse_args()
    print(f"uptime load average at start: {os.getloadavg()}")
    for config in args.configs.split(","):
        bench(config.strip(), args)


if __name__ == "__main__":
    main()
