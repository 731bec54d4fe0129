"""System prompts per project on SQLite and PostgreSQL: several named prompts, one active, limits,
ownership, and the active prompt's text in the system message a real (local) model receives."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.support.accounts import make_user
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.db import session_scope
from workflow_chat.llm.prompt import EXAMPLE_ANSWER
from workflow_chat.models import SystemPrompt
from workflow_chat.services import chats, projects, prompts, questions, turns
from workflow_chat.services.errors import Conflict, Invalid, NotFound


def _active(session, user_id: int, project_id: int) -> list[str]:
    return [p.name for p in prompts.list_prompts(session, user_id=user_id, project_id=project_id)
            if p.is_active]


def test_several_named_prompts_with_at_most_one_active(session):
    user = make_user(session)
    project = projects.create_project(session, user_id=user.id, name="Ops")
    terse = prompts.create_prompt(session, user_id=user.id, project_id=project.id,
                                  name="Terse", text="  Answer in one sentence.  ")
    german = prompts.create_prompt(session, user_id=user.id, project_id=project.id,
                                   name="German", text="Antworte auf Deutsch.", active=True)
    assert terse.text == "Answer in one sentence." and not terse.is_active
    assert _active(session, user.id, project.id) == ["German"]

    prompts.activate_prompt(session, user_id=user.id, prompt_id=terse.id)
    assert _active(session, user.id, project.id) == ["Terse"]
    prompts.clear_active_prompt(session, user_id=user.id, project_id=project.id)
    assert _active(session, user.id, project.id) == []

    prompts.activate_prompt(session, user_id=user.id, prompt_id=german.id)
    edited = prompts.update_prompt(session, user_id=user.id, prompt_id=german.id,
                                   name="Deutsch", text="Immer auf Deutsch.")
    assert (edited.name, edited.text, edited.is_active) == ("Deutsch", "Immer auf Deutsch.", True)
    assert [p.name for p in prompts.list_prompts(session, user_id=user.id, project_id=project.id)] == [
        "Deutsch", "Terse"]
    prompts.delete_prompt(session, user_id=user.id, prompt_id=german.id)
    assert _active(session, user.id, project.id) == []
    assert [p.name for p in prompts.list_prompts(session, user_id=user.id, project_id=project.id)] == [
        "Terse"]


def test_prompt_limits_and_name_clashes_give_clear_errors(session):
    user = make_user(session)
    pid = projects.default_project(session, user_id=user.id).id
    make = lambda name, text: prompts.create_prompt(  # noqa: E731
        session, user_id=user.id, project_id=pid, name=name, text=text)
    assert len(make("x" * 80, "y" * 8000).text) == 8000
    with pytest.raises(Invalid, match="prompt's name can be at most 80 characters"):
        make("x" * 81, "text")
    with pytest.raises(Invalid, match="prompt's name cannot be empty"):
        make(" ", "text")
    with pytest.raises(Invalid, match="at most 8,000 characters \\(this one has 8,001\\)"):
        make("Long", "y" * 8001)
    with pytest.raises(Invalid, match="text cannot be empty"):
        make("Blank", " \n ")
    make("Tone", "Be brief.")
    with pytest.raises(Conflict, match="already has a prompt named"):
        make("TONE", "Be long.")
    other = make("Other", "Something.")
    with pytest.raises(Conflict):
        prompts.update_prompt(session, user_id=user.id, prompt_id=other.id, name="tone")
    with pytest.raises(Invalid):
        prompts.update_prompt(session, user_id=user.id, prompt_id=other.id, text="z" * 8001)
    # The same name is fine in another project.
    elsewhere = projects.create_project(session, user_id=user.id, name="Elsewhere")
    prompts.create_prompt(session, user_id=user.id, project_id=elsewhere.id, name="Tone", text="Hi")


def test_another_users_prompts_are_not_found_and_nothing_changes(session):
    owner, intruder = make_user(session), make_user(session)
    project = projects.create_project(session, user_id=owner.id, name="Mine")
    prompt = prompts.create_prompt(session, user_id=owner.id, project_id=project.id,
                                   name="Tone", text="Be brief.", active=True)
    for call in (
        lambda: prompts.get_prompt(session, user_id=intruder.id, prompt_id=prompt.id),
        lambda: prompts.update_prompt(session, user_id=intruder.id, prompt_id=prompt.id, text="Hacked"),
        lambda: prompts.delete_prompt(session, user_id=intruder.id, prompt_id=prompt.id),
        lambda: prompts.activate_prompt(session, user_id=intruder.id, prompt_id=prompt.id),
        lambda: prompts.clear_active_prompt(session, user_id=intruder.id, project_id=project.id),
        lambda: prompts.list_prompts(session, user_id=intruder.id, project_id=project.id),
    ):
        with pytest.raises(NotFound):
            call()
    session.expire_all()
    kept = prompts.get_prompt(session, user_id=owner.id, prompt_id=prompt.id)
    assert (kept.text, kept.is_active) == ("Be brief.", True)
    assert session.exec(select(func.count()).select_from(SystemPrompt)).one() == 1


def _chat_in_project_with_prompt(text: str | None) -> tuple[int, int, int]:
    with session_scope() as session:
        user = make_user(session)
        project = projects.create_project(session, user_id=user.id, name="Styled")
        if text is not None:
            prompts.create_prompt(session, user_id=user.id, project_id=project.id, name="Style",
                                  text=text, active=True)
            prompts.create_prompt(session, user_id=user.id, project_id=project.id,
                                  name="Unused", text="NOT-ACTIVE-PROMPT")
        chat = chats.create_chat(session, user_id=user.id, project_id=project.id)
        return user.id, project.id, chat.id  # type: ignore[return-value]


def _ask(user_id: int, chat_id: int, text: str) -> turns.TurnResult:
    questions.record_question(user_id=user_id, chat_id=chat_id, content=text)
    return asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id))


def test_the_active_prompt_reaches_the_models_system_message(database_url, monkeypatch,
                                                             fake_openai):
    monkeypatch.setenv("LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("LLM_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    fake_openai.script(*[json.dumps(EXAMPLE_ANSWER)] * 3)
    marker = "Always name workflows after birds (PROJECT-PROMPT-7)."
    user_id, project_id, chat_id = _chat_in_project_with_prompt(marker)

    assert _ask(user_id, chat_id, "Summarise GitHub issues").ok
    sent = fake_openai.completion_requests()[-1].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user"]
    assert marker in sent[0]["content"] and "NOT-ACTIVE-PROMPT" not in sent[0]["content"]
    # The app's own rules come first; the project's prompt never replaces them.
    assert sent[0]["content"].startswith("You design automation workflows")

    # With no active prompt the next turn goes without it.
    with session_scope() as session:
        prompts.clear_active_prompt(session, user_id=user_id, project_id=project_id)
    assert _ask(user_id, chat_id, "Also email it to me").ok
    assert marker not in fake_openai.completion_requests()[-1].body["messages"][0]["content"]

    # A chat in another project of the same user does not get it either.
    with session_scope() as session:
        prompts.activate_prompt(session, user_id=user_id, prompt_id=prompts.list_prompts(
            session, user_id=user_id, project_id=project_id)[0].id)
        loose = chats.create_chat(session, user_id=user_id).id
    assert _ask(user_id, loose, "Summarise GitHub issues").ok  # type: ignore[arg-type]
    assert marker not in fake_openai.completion_requests()[-1].body["messages"][0]["content"]
