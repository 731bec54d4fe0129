"""An answer as a tab sees it over the websocket, from a real backend and a local model server:
the text streams in while the model writes, and Stop ends a slow answer with a notice and Retry.

Starts `reflex run --backend-only` (tests/support/backend_workers.py): run it from a checkout
that no other `reflex run` uses.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.support.backend_workers import BackendWorker, start_workers, stop_workers
from tests.support.fake_openai import FakeOpenAI, Scripted
from tests.support.fixtures import FAKE_API_KEY
from tests.support.reflex_client import (
    CONVERSATION, WORKSPACE, ReflexClient, chat_tab, new_chat, register,
)
from workflow_chat.llm.prompt import EXAMPLE_ANSWER


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def backend(tmp_path_factory, model) -> Iterator[BackendWorker]:
    workers = start_workers(1, root=tmp_path_factory.mktemp("answers"), env={
        "LLM_BASE_URL": model.base_url, "LLM_API_KEY": FAKE_API_KEY, "LLM_MODEL": "fake-model",
        "LLM_MAX_RETRIES": "0", "JWT_SECRET": "answer-events-" + uuid.uuid4().hex,
    })
    yield workers[0]
    stop_workers(workers)


async def _signed_in_tab(url: str) -> ReflexClient:
    tab = chat_tab(url, timeout=30)
    await tab.connect("/register")
    await register(tab, f"s{uuid.uuid4().hex[:10]}", "stream password 1")
    await new_chat(tab)
    return tab


def _last(tab: ReflexClient) -> dict:
    shown = tab.get(WORKSPACE, "messages", [])
    return shown[-1] if shown else {}


def test_the_answer_streams_in_before_it_is_stored(backend, model):
    model.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), chunk_size=12, chunk_delay=0.05))
    seen: list[str] = []

    async def run() -> None:
        async with await _signed_in_tab(backend.url) as tab:
            await tab.emit(f"{CONVERSATION}.start_turn", {"form": {"message": "Summarise issues"}})

            def done(c: ReflexClient) -> bool:
                seen.append(c.get(CONVERSATION, "partial") or "")
                return _last(c).get("role") == "assistant" and not c.get(WORKSPACE, "sending")

            await tab.wait_for(done)
            assert _last(tab)["status"] == "ok"

    asyncio.run(run())
    streamed = [text for text in seen if text]
    # Several growing pieces of the reply reached the tab before the whole message was stored.
    assert len(set(streamed)) >= 3, streamed
    assert all(b.startswith(a) for a, b in zip(streamed, streamed[1:]))


def test_stop_ends_a_slow_answer_at_once_and_keeps_the_question(backend, model):
    model.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), delay=20))

    async def run() -> float:
        async with await _signed_in_tab(backend.url) as tab:
            await tab.emit(f"{CONVERSATION}.start_turn", {"form": {"message": "Build it slowly"}})
            await tab.wait_for(lambda c: bool(c.get(WORKSPACE, "sending")))
            await asyncio.sleep(0.5)  # the model is now being asked
            pressed = time.perf_counter()
            await tab.emit(f"{CONVERSATION}.stop")
            await tab.wait_for(lambda c: not c.get(WORKSPACE, "sending")
                               and _last(c).get("status") == "error")
            waited = time.perf_counter() - pressed
            shown = tab.get(WORKSPACE, "messages")
            assert [(m["role"], m["status"]) for m in shown] == [("user", "ok"), ("assistant", "error")]
            assert shown[0]["content"] == "Build it slowly" and "stopped" in shown[1]["content"].lower()
            return waited

    assert asyncio.run(run()) < 3.0
