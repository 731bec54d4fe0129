"""A whole chat turn against a real local OpenAI-compatible server and the offline planner."""

from __future__ import annotations

import asyncio
import json
import threading

import sqlalchemy as sa
from sqlmodel import select

from tests.support.accounts import make_user
from tests.support.fake_openai import Scripted
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.db import get_engine, session_scope
from workflow_chat.llm.prompt import EXAMPLE_ANSWER
from workflow_chat.models import Chat, WorkflowVersion
from workflow_chat.services import chats, messages, questions, turns, workflows


def _new_chat() -> tuple[int, int]:
    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id)
        return user.id, chat.id


def _ask(user_id: int, chat_id: int, text: str, **kwargs) -> turns.TurnResult:
    questions.record_question(user_id=user_id, chat_id=chat_id, content=text)
    return asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id, **kwargs))


def test_offline_turn_stores_reply_and_first_version(database_url, monkeypatch):
    for name in ("LLM_API_KEY", "OPENAI_API_KEY", "LLM_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    user_id, chat_id = _new_chat()
    result = _ask(user_id, chat_id, "every morning at 8 fetch https://example.com/api/items "
                                    "and email me a summary")
    assert result.ok and result.source == "offline"
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
        version = workflows.current_version(session, user_id=user_id, chat_id=chat_id)
    assert [m.role for m in shown] == ["user", "assistant"]
    assert shown[1].has_workflow and "offline planner" in shown[1].content.lower()
    kinds = [n["kind"] for n in version.graph["nodes"]]
    assert kinds[:2] == ["schedule", "http_request"] and "email" in kinds
    assert version.number == 1 and version.message_id == shown[1].id


def test_llm_turn_sends_history_from_env_settings(database_url, monkeypatch, fake_openai):
    monkeypatch.setenv("LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("LLM_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    fake_openai.script(json.dumps({"message": "First draft.", "workflow": None}),
                       json.dumps(EXAMPLE_ANSWER))
    user_id, chat_id = _new_chat()
    assert _ask(user_id, chat_id, "Summarise GitHub issues").ok
    result = _ask(user_id, chat_id, "Post it to Slack every weekday at 9")
    assert result.ok and result.source == "llm" and result.version_id
    sent = fake_openai.completion_requests()[-1].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == "Summarise GitHub issues"
    assert all(FAKE_API_KEY not in m["content"] for m in sent)


def test_failed_answer_keeps_question_and_retry_replaces_error(database_url, fake_openai,
                                                                llm_settings):
    from workflow_chat.llm.generate import generate_reply

    def generate(history, **kwargs):
        return generate_reply(history, settings=llm_settings, **kwargs)

    # The answer and both repair rounds stay invalid; the retry then gets a valid answer.
    fake_openai.script(*["this is not json"] * 3, json.dumps(EXAMPLE_ANSWER))
    user_id, chat_id = _new_chat()
    failed = _ask(user_id, chat_id, "Build me something", generate=generate)
    assert not failed.ok
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
        assert session.exec(select(WorkflowVersion)).all() == []
    assert [(m.role, m.status) for m in shown] == [("user", "ok"), ("assistant", "error")]
    assert "invalid" in shown[1].content.lower() or "json" in shown[1].content.lower()

    retried = asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id, generate=generate))
    assert retried.ok
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
        assert session.get(Chat, chat_id).title == "Build me something"
    assert [(m.role, m.status) for m in shown] == [("user", "ok"), ("assistant", "ok")]


def test_unreachable_model_gives_a_clear_message(database_url, monkeypatch):
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "3")
    user_id, chat_id = _new_chat()
    result = _ask(user_id, chat_id, "hello")
    assert not result.ok
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
    assert "could not reach" in shown[-1].content.lower()
    assert FAKE_API_KEY not in shown[-1].content


def test_stopping_an_answer_keeps_the_question_and_offers_retry(database_url):
    import asyncio as aio

    started = aio.Event()

    async def slow(history, **_):
        started.set()
        await aio.sleep(30)

    async def run():
        user_id, chat_id = _new_chat()
        questions.record_question(user_id=user_id, chat_id=chat_id, content="build something")
        task = aio.create_task(turns.answer(user_id=user_id, chat_id=chat_id, generate=slow))
        await started.wait()
        task.cancel()
        result = await task
        return user_id, chat_id, result

    user_id, chat_id, result = asyncio.run(run())
    assert not result.ok
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
    assert [(m.role, m.status) for m in shown] == [("user", "ok"), ("assistant", "error")]
    assert "stopped" in shown[1].content.lower()


def test_timeout_ends_in_a_clear_notice_and_keeps_the_question(database_url, monkeypatch,
                                                               fake_openai):
    monkeypatch.setenv("LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("LLM_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "1")
    fake_openai.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), delay=2.5))
    user_id, chat_id = _new_chat()
    result = _ask(user_id, chat_id, "Every hour check https://status.example.com")
    assert not result.ok
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user_id, chat_id=chat_id)
        assert workflows.current_version(session, user_id=user_id, chat_id=chat_id) is None
    assert shown[0].content == "Every hour check https://status.example.com"
    assert shown[1].status == "error" and "did not answer within 1 s" in shown[1].content


def test_a_turn_never_queries_the_database_on_the_event_loop(database_url, monkeypatch):
    # A query on the loop stalls every other tab the server is answering; it runs in a thread.
    for name in ("LLM_API_KEY", "OPENAI_API_KEY", "LLM_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    user_id, chat_id = _new_chat()
    questions.record_question(user_id=user_id, chat_id=chat_id, content="every hour fetch "
                              "https://example.com/status and post to Slack if it is down")
    on_loop: list[bool] = []

    def seen(*_args) -> None:
        on_loop.append(threading.current_thread() is threading.main_thread())

    sa.event.listen(get_engine(), "before_cursor_execute", seen)
    try:
        result = asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id))
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", seen)
    assert result.ok and result.version_id
    assert on_loop and not any(on_loop)


def test_a_follow_up_turn_costs_a_dozen_statements(database_url, monkeypatch):
    """The chat turn is the app's hottest path: reading what the model is asked and storing
    an answer with a new version takes plain statements, one each, and no reload."""
    for name in ("LLM_API_KEY", "OPENAI_API_KEY", "LLM_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    user_id, chat_id = _new_chat()
    assert _ask(user_id, chat_id, "every hour fetch https://example.com/status").version_id
    questions.record_question(user_id=user_id, chat_id=chat_id, content="also post it to Slack")
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()[:3]))

    sa.event.listen(get_engine(), "before_cursor_execute", count)
    try:
        result = asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id))
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", count)
    assert result.ok and result.version is not None and result.version.number == 2
    assert result.chat is not None and result.graph is not None
    assert len(seen) <= 12, "\n".join(seen)
