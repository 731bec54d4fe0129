"""An answer as a tab sees it over the websocket, from a real backend and a local model server:
the text streams in while the model writes, Stop ends a slow answer with a notice and Retry,
and what a turn shows is what reading the chat back shows.

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
from workflow_chat.llm.prompt import EXAMPLE_ANSWER, EXAMPLE_PATCH_ANSWER


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


# Everything the workspace draws of the open chat and the chat list.
SHOWN = ("current_chat_id", "current_title", "chats", "messages", "versions", "version_number",
         "current_version_id", "can_undo", "can_redo", "workflow_name")


def _shown(tab: ReflexClient) -> dict:
    view = {name: tab.get(WORKSPACE, name) for name in SHOWN}
    view["nodes"] = [(n["id"], n["data"]["label"]) for n in tab.get(WORKSPACE, "nodes", [])]
    view["edges"] = [(e["source"], e["target"]) for e in tab.get(WORKSPACE, "edges", [])]
    return view


async def _turn(tab: ReflexClient, text: str) -> None:
    before = max((m["id"] for m in tab.get(WORKSPACE, "messages", [])), default=0)
    await tab.emit(f"{CONVERSATION}.start_turn", {"form": {"message": text}})
    await tab.wait_for(lambda c: not c.get(WORKSPACE, "sending")
                       and _last(c).get("role") == "assistant" and _last(c)["id"] > before)


async def _as_reloaded(tab: ReflexClient) -> dict:
    async with chat_tab(tab.backend_url, local_storage=tab.local_storage, timeout=30) as fresh:
        await fresh.connect("/")
        return _shown(fresh)


def test_a_turn_shows_what_reading_the_chat_back_shows(backend, model):
    """The answer is drawn from what the turn stored, not from a second read of the chat: after a
    failed answer, an answer that replaces its notice, and a follow-up edit, a new tab of the same
    account shows exactly the same chat list, messages, versions and graph."""
    model.script(Scripted(status=400, message="the model is unwell"), json.dumps(EXAMPLE_ANSWER),
                 json.dumps(EXAMPLE_PATCH_ANSWER))

    async def run() -> list[tuple[dict, dict]]:
        async with await _signed_in_tab(backend.url) as tab:
            await tab.emit(f"{WORKSPACE}.new_chat")  # a second, emptier chat further down the list
            await tab.wait_for(lambda c: len(c.get(WORKSPACE, "chats", [])) == 2)
            pairs = []
            for text in ("Summarise GitHub issues", "Summarise GitHub issues", "also email it to me"):
                await _turn(tab, text)
                pairs.append((_shown(tab), await _as_reloaded(tab)))
            return pairs

    failed, answered, edited = asyncio.run(run())
    for shown, reloaded in (failed, answered, edited):
        assert shown == reloaded
    assert [m["status"] for m in failed[0]["messages"]] == ["ok", "error"]
    assert [m["role"] for m in answered[0]["messages"]] == ["user", "user", "assistant"]
    assert answered[0]["chats"][0]["title"] == "Summarise GitHub issues"
    assert [v["number"] for v in edited[0]["versions"]] == [2, 1]
    assert edited[0]["can_undo"] and not edited[0]["can_redo"]
    assert ("mail", "Email the summary") in edited[0]["nodes"]


def test_an_answer_the_tab_asks_for_by_itself_does_nothing(backend, model):
    """`answer` runs only for the question start_turn or retry checked: a tab that sends the
    event on its own gets no second reply stored (or any model call) for the same question."""
    model.script(json.dumps(EXAMPLE_ANSWER), json.dumps(EXAMPLE_ANSWER))

    async def run() -> tuple[list, list, int]:
        async with await _signed_in_tab(backend.url) as tab:
            await _turn(tab, "Summarise GitHub issues")
            asked = len(model.completion_requests())
            before = tab.get(WORKSPACE, "messages")
            await tab.emit(f"{CONVERSATION}.answer")
            await asyncio.sleep(1.0)
            await tab.navigate("/")  # read the chat back from the database
            return before, tab.get(WORKSPACE, "messages"), len(model.completion_requests()) - asked

    before, after, extra_calls = asyncio.run(run())
    assert [m["id"] for m in after] == [m["id"] for m in before] and extra_calls == 0
