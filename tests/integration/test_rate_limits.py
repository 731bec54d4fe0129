"""Rate limits on SQLite and PostgreSQL: logins per IP, wrong passwords per account and IP (with
a far higher ceiling per account), messages per user and per IP; a refusal says when to come back, the window frees itself, other IPs and
users are unaffected, and workers that share Redis share the counts."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid

import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.services import accounts, chats, messages, questions, rate_limits
from workflow_chat.services.errors import RateLimited, Unauthorized
from workflow_chat.state.auth_forms import AuthFormState
from workflow_chat.state.conversation import ConversationState

PASSWORD = "password123"  # make_user's


def _login(login: str, password: str = PASSWORD, ip: str | None = None) -> int:
    with session_scope() as session:
        user = accounts.authenticate(session, login=login, password=password, ip=ip)
        return user.id  # type: ignore[return-value]


@pytest.fixture
def users(database_url) -> tuple[int, int, int, int]:
    """Two users, each with a chat: (ada, ada's chat, bob, bob's chat)."""
    with session_scope() as session:
        ada, bob = make_user(session, "ada"), make_user(session, "bob")
        return (ada.id, chats.create_chat(session, user_id=ada.id).id,  # type: ignore[return-value]
                bob.id, chats.create_chat(session, user_id=bob.id).id)


def test_logins_from_one_ip_are_limited_and_other_ips_are_not(users, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LOGIN_PER_IP", "3/minute")
    for _ in range(3):
        _login("ada", ip="203.0.113.9")
    with pytest.raises(RateLimited) as refused:
        _login("bob", ip="203.0.113.9")  # right password, other account: the IP is over
    assert 55 <= refused.value.retry_after <= 60
    assert str(refused.value) == f"Too many attempts, try again in {refused.value.retry_after} s."
    assert _login("bob", ip="198.51.100.1") == users[2]
    assert _login("bob") == users[2]  # a caller without an IP (a script) is not IP-limited


def test_wrong_passwords_lock_the_account_only_from_that_ip(users, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "2/minute")
    for login in ("ada", "ada@example.com"):  # username and email count as one account
        with pytest.raises(Unauthorized):
            _login(login, "wrong password", ip="192.0.2.7")
    with pytest.raises(RateLimited) as refused:
        _login("ADA", ip="192.0.2.7")  # even the right password, from the guessing IP
    assert 1 <= refused.value.retry_after <= 60
    # Someone guessing from one address cannot lock the owner out: another IP still gets in.
    assert _login("ada", ip="198.51.100.20") == users[0]
    assert _login("bob", ip="192.0.2.7") == users[2]  # and the IP may still sign in as others
    # A name no account has is counted on its own.
    for _ in range(2):
        with pytest.raises(Unauthorized):
            _login("nobody", "x")
    with pytest.raises(RateLimited):
        _login("nobody", "x")


def test_guessing_spread_over_many_ips_meets_the_account_ceiling(users, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT", "4/minute")
    for n in range(4):  # one wrong password from each of four addresses
        with pytest.raises(Unauthorized):
            _login("ada", "wrong password", ip=f"192.0.2.{n}")
    with pytest.raises(RateLimited) as refused:
        _login("ada", ip="198.51.100.99")  # a fresh IP, the right password
    assert 1 <= refused.value.retry_after <= 60
    with pytest.raises(RateLimited):
        _login("ada")
    assert _login("bob", ip="192.0.2.1") == users[2]  # other accounts are unaffected


def test_a_right_password_forgives_earlier_mistakes(users, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "2/minute")
    for _ in range(3):
        with pytest.raises(Unauthorized):
            _login("ada", "wrong password")
        assert _login("ada") == users[0]


def test_a_right_password_does_not_reset_the_account_ceiling(users, monkeypatch):
    # Otherwise the owner signing in would hand a distributed guesser a fresh budget.
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT", "3/minute")
    for n in range(2):
        with pytest.raises(Unauthorized):
            _login("ada", "wrong password", ip=f"192.0.2.{n}")
    assert _login("ada", ip="192.0.2.0") == users[0]
    with pytest.raises(Unauthorized):
        _login("ada", "wrong password", ip="192.0.2.5")
    with pytest.raises(RateLimited):
        _login("ada", ip="198.51.100.4")


def test_messages_are_limited_per_user_and_per_ip(users, monkeypatch):
    ada, ada_chat, bob, bob_chat = users
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "2/minute")
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_IP", "3/minute")
    for text in ("one", "two"):
        questions.record_question(user_id=ada, chat_id=ada_chat, content=text, ip="203.0.113.5")
    with pytest.raises(RateLimited) as refused:
        questions.record_question(user_id=ada, chat_id=ada_chat, content="three", ip="198.51.100.7")
    assert str(refused.value).startswith("Too many messages, try again in ")
    assert 55 <= refused.value.retry_after <= 60
    # Bob has his own allowance, but shares the IP's: one more message from it, then no more.
    questions.record_question(user_id=bob, chat_id=bob_chat, content="hi", ip="203.0.113.5")
    with pytest.raises(RateLimited):
        questions.record_question(user_id=bob, chat_id=bob_chat, content="again", ip="203.0.113.5")
    questions.record_question(user_id=bob, chat_id=bob_chat, content="from home", ip="198.51.100.8")
    with session_scope() as session:
        shown = {uid: [m.content for m in messages.list_messages(session, user_id=uid, chat_id=cid)]
                 for uid, cid in ((ada, ada_chat), (bob, bob_chat))}
    assert shown == {ada: ["one", "two"], bob: ["hi", "from home"]}


def test_the_window_frees_itself(users, monkeypatch):
    ada, ada_chat, _, _ = users
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "2 per 1 second")
    for text in ("one", "two"):
        questions.record_question(user_id=ada, chat_id=ada_chat, content=text)
    with pytest.raises(RateLimited) as refused:
        questions.record_question(user_id=ada, chat_id=ada_chat, content="three")
    assert refused.value.retry_after == 1
    time.sleep(1.05)
    questions.record_question(user_id=ada, chat_id=ada_chat, content="three")


def test_limits_can_be_turned_off(users, monkeypatch):
    ada, ada_chat, _, _ = users
    monkeypatch.setenv("RATE_LIMITS_ENABLED", "off")
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "1/minute")
    monkeypatch.setenv("RATE_LIMIT_LOGIN_PER_IP", "1/minute")
    for _ in range(3):
        questions.record_question(user_id=ada, chat_id=ada_chat, content="hello", ip="203.0.113.1")
        _login("ada", ip="203.0.113.1")


def _state(cls, token: str = ""):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.token = token
    return state


async def _submit_login(state: AuthFormState, form: dict) -> None:
    async for _ in AuthFormState.login.fn(state, form):
        pass


def test_the_login_form_and_the_composer_say_when_to_come_back(users, monkeypatch):
    ada, ada_chat, _, _ = users
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "1/minute")
    form = _state(AuthFormState)
    asyncio.run(_submit_login(form, {"login": "ada", "password": "wrong"}))
    assert form.error_message == accounts.WRONG_CREDENTIALS
    asyncio.run(_submit_login(form, {"login": "ada", "password": PASSWORD}))
    assert form.error_message.startswith("Too many attempts, try again in ")
    assert not form.busy and form.token == ""

    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "1/minute")
    conversation = _state(ConversationState, issue_token(ada))
    conversation.current_chat_id = 0  # a first message would create a chat
    questions.record_question(user_id=ada, chat_id=ada_chat, content="first")
    result = asyncio.run(ConversationState.start_turn.fn(conversation, {"message": "my long draft"}))
    assert "Too many messages, try again in" in repr(result)
    assert "composer" not in repr(result)  # the draft stays in the composer
    assert not conversation.sending and conversation.current_chat_id == 0
    with session_scope() as session:
        assert [c.id for c in chats.list_chats(session, user_id=ada)] == [ada_chat]


_OTHER_WORKER = """
from workflow_chat.services import rate_limits
from workflow_chat.services.errors import RateLimited
try:
    rate_limits.check_message(user_id=7, ip=None)
except RateLimited as exc:
    print("limited", exc.retry_after)
else:
    print("allowed")
"""


def test_workers_sharing_redis_share_the_counts(tmp_path, monkeypatch):
    # A database of its own only names the counters' namespace: nothing is stored in it.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite")
    monkeypatch.setenv("RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "2/minute")
    rate_limits.check_message(user_id=7, ip=None)

    def other_worker() -> str:
        return subprocess.run([sys.executable, "-c", _OTHER_WORKER], env=dict(os.environ),
                              capture_output=True, text=True, check=True, timeout=60).stdout.split()

    assert other_worker() == ["allowed"]  # the second of two
    limited, wait = other_worker()
    assert limited == "limited" and 1 <= int(wait) <= 60
    with pytest.raises(RateLimited):
        rate_limits.check_message(user_id=7, ip=None)


def test_an_unreachable_redis_lets_requests_through(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "1/minute")
    for _ in range(2):
        rate_limits.check_message(user_id=1, ip="203.0.113.1")
    assert "not limiting" in caplog.text
