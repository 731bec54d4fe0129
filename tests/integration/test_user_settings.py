"""Settings on SQLite and PostgreSQL: a user's own language model answers their chats (their
server, model and key, from the vault) while other users keep the server's; the key is never
shown or stored in clear; changing the password needs the old one; email and theme are saved."""

from __future__ import annotations

import asyncio
import json

import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import select

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.fake_openai import FakeOpenAI
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import get_engine, session_scope
from workflow_chat.llm.prompt import EXAMPLE_ANSWER
from workflow_chat.models import AuditEvent
from workflow_chat.services import accounts, chats, messages, profile, questions, turns, user_settings
from workflow_chat.services.errors import Conflict, Invalid, RateLimited, Unauthorized
from workflow_chat.state.settings import SettingsState, ThemeState
from workflow_chat.vault.keys import new_key

ADA_KEY = "sk-ada-private-0123456789abcdef"
PASSWORD = "password123"  # make_user's


@pytest.fixture(autouse=True)
def master_key(monkeypatch) -> None:
    monkeypatch.setenv("WFC_MASTER_KEYS", new_key())


@pytest.fixture
def two_users(database_url) -> tuple[int, int]:
    with session_scope() as session:
        return make_user(session, "ada").id, make_user(session, "bob").id  # type: ignore[return-value]


@pytest.fixture
def server_model(monkeypatch, fake_openai: FakeOpenAI) -> FakeOpenAI:
    """The environment's model: `fake_openai`, with FAKE_API_KEY."""
    for name, value in {"LLM_BASE_URL": fake_openai.base_url, "LLM_API_KEY": FAKE_API_KEY,
                        "LLM_MODEL": "fake-model", "LLM_MAX_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)
    return fake_openai


def _turn(user_id: int) -> turns.TurnResult:
    with session_scope() as session:
        chat_id = chats.create_chat(session, user_id=user_id).id
    questions.record_question(user_id=user_id, chat_id=chat_id, content="Summarise GitHub issues")
    return asyncio.run(turns.answer(user_id=user_id, chat_id=chat_id))


def _database_cells() -> str:
    with get_engine().connect() as conn:
        return repr([conn.execute(sa.text(f"SELECT * FROM {table}")).all()
                     for table in ("user_settings", "credentials", "audit_events", "messages")])


def test_a_users_own_model_answers_their_chats_and_no_one_elses(two_users, server_model):
    ada, bob = two_users
    with FakeOpenAI() as own:
        with session_scope() as session:
            choice = user_settings.save_llm_choice(session, user_id=ada, provider="openai",
                                                   model="ada-model", base_url=own.base_url,
                                                   api_key=ADA_KEY)
        assert (choice.provider, choice.model, choice.has_key) == ("openai", "ada-model", True)
        assert ADA_KEY not in repr(choice)
        own.script(json.dumps(EXAMPLE_ANSWER))
        server_model.script(json.dumps(EXAMPLE_ANSWER))
        assert _turn(ada).source == "llm" and _turn(bob).source == "llm"

        [to_ada] = own.completion_requests()
        assert to_ada.headers["authorization"] == f"Bearer {ADA_KEY}"
        assert to_ada.body["model"] == "ada-model"
        [to_server] = server_model.completion_requests()
        assert to_server.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
        assert to_server.body["model"] == "fake-model"
    cells = _database_cells()
    assert ADA_KEY not in cells and "ada-model" in cells


def test_the_servers_key_never_goes_to_a_users_own_server(two_users, server_model):
    ada, _ = two_users
    with FakeOpenAI() as own:
        with session_scope() as session:  # Ollama-style: a base URL and no key
            user_settings.save_llm_choice(session, user_id=ada, provider="openai", model="llama3",
                                          base_url=own.base_url)
            assert user_settings.uses_a_model(session, user_id=ada)
        own.script(json.dumps(EXAMPLE_ANSWER))
        assert _turn(ada).ok
        [request] = own.completion_requests()
    assert FAKE_API_KEY not in repr(request.headers) and request.body["model"] == "llama3"
    assert server_model.completion_requests() == []


def test_back_to_the_servers_model_and_a_removed_key(two_users, server_model, monkeypatch):
    ada, _ = two_users
    with session_scope() as session:
        user_settings.save_llm_choice(session, user_id=ada, provider="openai", api_key=ADA_KEY)
        assert user_settings.get_llm_choice(session, user_id=ada).model == "gpt-4o-mini"
        user_settings.save_llm_choice(session, user_id=ada, provider="", model="ignored")
        assert user_settings.llm_settings_for(session, user_id=ada) is None
        choice = user_settings.remove_llm_key(session, user_id=ada)
    assert (choice.provider, choice.model, choice.has_key) == ("", "", False)
    server_model.script(json.dumps(EXAMPLE_ANSWER))
    assert _turn(ada).ok
    assert server_model.completion_requests()[0].headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    # A provider chosen with neither key nor URL: the offline planner, not the server's key.
    with session_scope() as session:
        user_settings.save_llm_choice(session, user_id=ada, provider="anthropic")
        assert not user_settings.uses_a_model(session, user_id=ada)
    assert _turn(ada).source == "offline"


@pytest.mark.parametrize("fields, words", [
    ({"provider": "gemini"}, "provider is one of"),
    ({"provider": "openai", "base_url": "ftp://example.com"}, "http:// or https://"),
    ({"provider": "openai", "base_url": "https://user:sk-x@example.com/v1"}, "not in the URL"),
    ({"provider": "openai", "model": "gpt 4"}, "no spaces"),
])
def test_bad_llm_settings_are_refused_and_nothing_is_saved(two_users, fields, words):
    ada, _ = two_users
    with pytest.raises(Invalid, match=words), session_scope() as session:
        user_settings.save_llm_choice(session, user_id=ada, api_key=ADA_KEY, **fields)
    with session_scope() as session:
        assert user_settings.get_llm_choice(session, user_id=ada) == user_settings.LLMChoice(
            provider="", model="", base_url="", has_key=False)


def test_a_key_the_server_cannot_decrypt_gives_a_clear_answer(two_users, server_model, monkeypatch):
    ada, _ = two_users
    with session_scope() as session:
        user_settings.save_llm_choice(session, user_id=ada, provider="openai", api_key=ADA_KEY)
    monkeypatch.setenv("WFC_MASTER_KEYS", new_key())  # the old key is gone
    result = _turn(ada)
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=ada, chat_id=_last_chat(ada))
    assert not result.ok and shown[-1].content == user_settings.UNREADABLE_KEY
    assert server_model.completion_requests() == []


def _last_chat(user_id: int) -> int:
    with session_scope() as session:
        return chats.list_chats(session, user_id=user_id)[0].id  # type: ignore[return-value]


def _state(cls, user_id: int):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.token = issue_token(user_id)
    return state


def test_the_page_never_holds_the_key_and_shows_it_masked(two_users):
    ada, _ = two_users
    page = _state(SettingsState, ada)
    SettingsState.load.fn(page)
    assert (page.username, page.email, page.llm_provider) == ("ada", "ada@example.com", "server")
    SettingsState.set_llm_provider.fn(page, "openai")
    events = SettingsState.save_llm.fn(page, {"model": "gpt-4o", "base_url": "", "api_key": ADA_KEY})
    assert page.llm_has_key and page.llm_model == "gpt-4o" and page.llm_error == ""
    assert "llm_api_key" in repr(events)  # the field is emptied after saving
    assert ADA_KEY not in repr(page.dict())
    SettingsState.save_llm.fn(page, {"base_url": "https://a:b@x.example"})
    assert "not in the URL" in page.llm_error


def test_changing_the_password_needs_the_old_one(two_users, monkeypatch):
    ada, _ = two_users
    new = "a brand new passphrase"
    with pytest.raises(Unauthorized), session_scope() as session:
        profile.change_password(session, user_id=ada, current="wrong one!", new=new)
    for bad, words in (("short", "at least 8"), ("é" * 37, "at most 72 bytes"), (PASSWORD, "same")):
        with pytest.raises(Invalid, match=words), session_scope() as session:
            profile.change_password(session, user_id=ada, current=PASSWORD, new=bad)
    with session_scope() as session:
        assert accounts.authenticate(session, login="ada", password=PASSWORD).id == ada
        profile.change_password(session, user_id=ada, current=PASSWORD, new=new, ip="203.0.113.3")
    with session_scope() as session:
        assert accounts.authenticate(session, login="ada", password=new).id == ada
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "password.change")).one()
        assert (event.user_id, event.ip) == (ada, "203.0.113.3")
    with pytest.raises(Unauthorized), session_scope() as session:
        accounts.authenticate(session, login="ada", password=PASSWORD)
    assert new not in _database_cells()


def test_guessing_the_old_password_is_limited_like_a_login(two_users, monkeypatch):
    ada, _ = two_users
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "2/minute")
    for _ in range(2):
        with pytest.raises(Unauthorized), session_scope() as session:
            profile.change_password(session, user_id=ada, current="guess", new="whatever123")
    with pytest.raises(RateLimited), session_scope() as session:
        profile.change_password(session, user_id=ada, current=PASSWORD, new="whatever123")


def test_the_password_form_reports_each_refusal(two_users):
    ada, _ = two_users
    page = _state(SettingsState, ada)

    def submit(current: str, new: str, confirm: str | None = None) -> list:
        async def run() -> list:
            form = {"current_password": current, "new_password": new,
                    "confirm_password": new if confirm is None else confirm}
            return [event async for event in SettingsState.change_password.fn(page, form)]
        return asyncio.run(run())

    submit(PASSWORD, "new password 1", "new password 2")
    assert page.password_error == "The two new passwords do not match."
    submit("not it", "new password 1")
    assert page.password_error == profile.WRONG_PASSWORD and not page.password_busy
    events = submit(PASSWORD, "new password 1")
    assert page.password_error == "" and "Password changed" in repr(events)
    assert "new password 1" not in repr(page.dict())


def test_email_is_validated_and_unique(two_users):
    ada, _ = two_users
    with session_scope() as session:
        with pytest.raises(Invalid):
            profile.change_email(session, user_id=ada, email="not an email")
        with pytest.raises(Conflict):
            profile.change_email(session, user_id=ada, email="BOB@example.com")
        changed = profile.change_email(session, user_id=ada, email=" Ada@New.example ")
        assert changed.email == "ada@new.example"
    with session_scope() as session:
        assert accounts.authenticate(session, login="ada@new.example", password=PASSWORD).id == ada
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.user_id == ada)).all()
        assert "email.change" in actions


def test_the_theme_is_saved_per_user(two_users):
    ada, bob = two_users
    page = _state(SettingsState, ada)
    SettingsState.save_theme.fn(page, "dark")
    refused = SettingsState.save_theme.fn(page, "purple")
    assert "light, dark or system" in repr(refused) and page.theme == "dark"
    with session_scope() as session:
        assert user_settings.get_theme(session, user_id=ada) == "dark"
        assert user_settings.get_theme(session, user_id=bob) == "system"
    elsewhere = _state(ThemeState, ada)  # another browser: a fresh state
    ThemeState.load_theme.fn(elsewhere)
    assert elsewhere.theme == "dark"
