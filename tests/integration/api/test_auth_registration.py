"""ALLOW_REGISTRATION=0 closes sign-ups everywhere: the API answers 403 registration_closed,
the register page shows a note instead of its form and its handler refuses, the login page
drops its link; an administrator still creates accounts with `python -m workflow_chat.create_user`
(same rules), and those users log in."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from select import select as wait_readable

import pytest
from sqlmodel import select

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.integration.api.api_users import API
from tests.support.reflex_states import drain, state_for
from workflow_chat.db import session_scope
from workflow_chat.models import User
from workflow_chat.state.auth_forms import AuthFormState

BODY = {"username": "carol", "email": "carol@example.com", "password": "correct horse"}


def _usernames() -> list[str]:
    with session_scope() as session:
        return sorted(session.exec(select(User.username)).all())


@pytest.mark.parametrize("value", ["0", "false", "FALSE", " off "])
def test_closed_registration_is_a_403_with_its_own_code(client, monkeypatch, value):
    monkeypatch.setenv("ALLOW_REGISTRATION", value)
    refused = client.post(f"{API}/auth/register", json=BODY)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "registration_closed" and "administrator" in error["message"]
    assert _usernames() == []


def test_registration_is_open_by_default_and_with_1(client, monkeypatch):
    monkeypatch.delenv("ALLOW_REGISTRATION", raising=False)
    assert client.post(f"{API}/auth/register", json=BODY).status_code == 201
    monkeypatch.setenv("ALLOW_REGISTRATION", "1")
    assert client.post(f"{API}/auth/register", json={
        **BODY, "username": "dave", "email": "dave@example.com"}).status_code == 201


def test_the_openapi_document_lists_the_403(client):
    document = client.get(f"{API}/openapi.json").json()
    answers = document["paths"][f"{API}/auth/register"]["post"]["responses"]
    assert "403" in answers and "ErrorBody" in str(answers["403"])


def _register(form_values: dict) -> AuthFormState:
    form = state_for(AuthFormState)
    asyncio.run(drain(AuthFormState.register.fn(form, form_values)))
    return form  # type: ignore[return-value]


def test_the_register_page_and_handler_refuse_when_closed(database_url, monkeypatch):
    monkeypatch.setenv("ALLOW_REGISTRATION", "0")
    page = state_for(AuthFormState)
    asyncio.run(AuthFormState.redirect_if_signed_in.fn(page))  # the pages' on_load
    assert page.registration_open is False  # the page shows the note, not the form
    # A stale page (or a hand-made event) still cannot register.
    form = _register({**BODY, "confirm": BODY["password"]})
    assert form.registration_open is False and form.token == "" and not form.busy
    assert _usernames() == []

    monkeypatch.setenv("ALLOW_REGISTRATION", "1")
    asyncio.run(AuthFormState.redirect_if_signed_in.fn(page))
    assert page.registration_open is True
    form = _register({**BODY, "confirm": BODY["password"]})
    assert form.token != "" and _usernames() == ["carol"]


def _create_user(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workflow_chat.create_user", *args],
                          input=stdin, env=dict(os.environ), capture_output=True, text=True,
                          timeout=120)


def test_an_administrator_creates_a_user_who_can_log_in(client, monkeypatch):
    monkeypatch.setenv("ALLOW_REGISTRATION", "0")
    made = _create_user("--username", "erin", "--email", "Erin@Example.com",
                        stdin="a long passphrase\n")
    assert made.returncode == 0, made.stderr
    assert "created user erin" in made.stdout and "passphrase" not in made.stdout + made.stderr
    login = client.post(f"{API}/auth/login", json={"login": "erin@example.com",
                                                   "password": "a long passphrase"})
    assert login.status_code == 200
    me = client.get(f"{API}/auth/me",
                    headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.json()["username"] == "erin"


def test_the_command_applies_the_registration_rules(client):
    short = _create_user("--username", "frank", "--email", "frank@example.com", stdin="short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr
    first = _create_user("--username", "gina", "--email", "gina@example.com", stdin="password123\n")
    assert first.returncode == 0, first.stderr
    again = _create_user("--username", "GINA", "--email", "g2@example.com", stdin="password123\n")
    assert again.returncode == 1 and "already taken" in again.stderr
    assert _usernames() == ["gina"]


def _wait_for(main: int, prompt: bytes, seen: bytearray) -> None:
    deadline = time.monotonic() + 60
    while prompt not in seen:
        assert time.monotonic() < deadline, f"no {prompt!r} prompt in {bytes(seen)!r}"
        if wait_readable([main], [], [], 1)[0]:
            seen.extend(os.read(main, 1024))


def _create_user_at_a_terminal(*args: str, first: str, second: str) -> int:
    """The command with a terminal (a pty) as stdin, typing each password at its prompt
    (getpass flushes what was typed before the prompt, as a terminal does)."""
    main, terminal = os.openpty()
    try:
        # A session of its own: no controlling terminal, so getpass uses the pty on stdin.
        proc = subprocess.Popen([sys.executable, "-m", "workflow_chat.create_user", *args],
                                stdin=terminal, stdout=terminal, stderr=terminal,
                                env=dict(os.environ), start_new_session=True)
        seen = bytearray()
        for prompt, typed in ((b"Password: ", first), (b"again: ", second)):
            _wait_for(main, prompt, seen)
            os.write(main, f"{typed}\n".encode())
        return proc.wait(timeout=120)
    finally:
        os.close(main)
        os.close(terminal)


def test_at_a_terminal_the_password_is_asked_twice(client):
    mismatch = _create_user_at_a_terminal("--username", "hugo", "--email", "hugo@example.com",
                                          first="password123", second="password124")
    assert mismatch == 1 and _usernames() == []
    made = _create_user_at_a_terminal("--username", "hugo", "--email", "hugo@example.com",
                                      first="password123", second="password123")
    assert made == 0
    assert client.post(f"{API}/auth/login",
                       json={"login": "hugo", "password": "password123"}).status_code == 200
