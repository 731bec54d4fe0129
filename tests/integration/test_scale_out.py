"""Two backend workers share users through Redis and PostgreSQL: a tab that signed in and chatted
on worker A reconnects to worker B (a load balancer's choice, a restarted worker) and finds its
session there, and its next message continues the same chat."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
import redis

from tests.support.backend_workers import engine_executors, start_workers, stop_workers
from tests.support.reflex_client import (
    AUTH, SESSION, WORKSPACE, chat_tab, new_chat, register, send_message,
)

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://127.0.0.1:5432/postgres")
# A Redis database of its own, flushed before and after: no other test's keys, none left over.
REDIS_URL = os.environ.get("TEST_SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/13")
FIRST = "every morning at 8 fetch https://example.com/api/items and email me a summary"
FOLLOW_UP = "also post it to Slack"


# One pair of workers for the module: starting them is most of the cost.
@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    name = f"wc_scale_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, postgres_url, redis_db):
    """Two servers on their own ports (so a tab can pick one), each in Reflex's multi-worker
    mode with 2 processes forked at the same instant: four processes migrate an empty database
    and launch their engines at once, as a deployment's first start does."""
    workers = start_workers(2, processes=2, root=tmp_path_factory.mktemp("scale_out"), env={
        "DATABASE_URL": postgres_url,
        "REFLEX_REDIS_URL": REDIS_URL,
        "JWT_SECRET": "scale-out-test-secret-" + uuid.uuid4().hex,
    })
    yield workers
    stop_workers(workers)


def test_workers_started_together_migrate_once_and_run_engines_of_their_own(two_workers, postgres_url):
    # Every process ran the migrations at start-up; a lost race would have logged its error
    # (and stopped the server: start_workers would have raised).
    for worker in two_workers:
        assert "[ERROR]" not in worker.log_text() and "Traceback" not in worker.log_text()
    # DBOS recovers a run only under the executor id that started it: ids must differ.
    executors = engine_executors(postgres_url)
    assert len(executors) == 4 and len(set(executors)) == 4, executors


def test_a_users_chat_survives_on_the_other_worker(two_workers, redis_db):
    worker_a, worker_b = two_workers
    asyncio.run(_sign_in_on_a_then_continue_on_b(worker_a.url, worker_b.url, redis_db))


async def _sign_in_on_a_then_continue_on_b(url_a: str, url_b: str, store: redis.Redis) -> None:
    username = f"ann{uuid.uuid4().hex[:6]}"
    async with chat_tab(url_a) as tab:
        await tab.connect("/register")
        await register(tab, username, "correct horse battery staple")
        await new_chat(tab)
        await send_message(tab, FIRST)
        chat_id = tab.get(WORKSPACE, "current_chat_id")
        assert tab.get(SESSION, "username") == username and chat_id

    # The session lives in Redis under the tab's token, one key per state.
    keys = {key.decode() for key in store.scan_iter(f"{tab.token}_*")}
    assert f"{tab.token}_{WORKSPACE}" in keys, keys
    # Worker A forgets the closed socket; until then the token counts as open in another tab.
    await _until(lambda: not store.exists(f"token_manager_socket_record_{tab.token}"))

    # The same tab (token and local storage) reconnects, now to worker B, on a page whose
    # on_load reads nothing from the database: whatever it shows of the chat came from Redis.
    async with chat_tab(url_b, token=tab.token, local_storage=tab.local_storage) as again:
        await again.connect("/register")
        assert again.token == tab.token
        assert again.get(SESSION, "username") == username
        assert again.get(WORKSPACE, "current_chat_id") == chat_id
        shown = again.get(WORKSPACE, "messages")
        assert [m["role"] for m in shown] == ["user", "assistant"] and shown[0]["content"] == FIRST
        assert again.get(WORKSPACE, "nodes"), "the chat's workflow is on the canvas"

        # An event served by worker B continues that chat (a fresh state would open a new one).
        await send_message(again, FOLLOW_UP)
        assert again.get(WORKSPACE, "current_chat_id") == chat_id
        asked = [m["content"] for m in again.get(WORKSPACE, "messages") if m["role"] == "user"]
        assert asked == [FIRST, FOLLOW_UP]
        assert again.get(WORKSPACE, "version_number") == 2

    # Control: a tab worker B has never seen gets a blank session, not someone else's.
    async with chat_tab(url_b) as stranger:
        await stranger.connect("/register")
        assert stranger.get(SESSION, "username") == "" and stranger.get(WORKSPACE, "messages") == []
        assert not stranger.get(AUTH, "error_message")


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)
