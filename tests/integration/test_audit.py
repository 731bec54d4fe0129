"""The audit log on SQLite and PostgreSQL: each audited action leaves exactly one event with its
user and target, in the action's own transaction; a failed login is kept without the password;
secret use is recorded at most once a minute; users read their own events only."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import Session, select

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.runs import chat_with_graph, edge, finished, node
from workflow_chat.api.app import api
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import get_engine, session_scope
from workflow_chat.models import AuditEvent, Credential
from workflow_chat.services import accounts, audit, chats, credentials, runs, triggers, workflows
from workflow_chat.services.errors import Unauthorized
from workflow_chat.state import auth_forms
from workflow_chat.state.audit import ActivityState
from workflow_chat.vault.keys import new_key

GRAPH = {"nodes": [node("start", "manual"), node("note", "transform", {"template": "hi"})],
         "edges": [edge("start", "note")]}
PASSWORD = "password123"  # make_user's
SECRET = "hooks.slack.com/very-secret-value"


@pytest.fixture(autouse=True)
def master_key(monkeypatch) -> None:
    monkeypatch.setenv("WFC_MASTER_KEYS", new_key())


def _events(session: Session, user_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    return list(session.exec(query).all())


def _pairs(session: Session, user_id: int) -> list[tuple[str, str | None]]:
    return [(e.action, e.target) for e in _events(session, user_id)]


def test_each_action_leaves_one_event_with_its_user_and_target(session):
    user = make_user(session, "ada")
    uid = user.id
    accounts.authenticate(session, login="ada", password=PASSWORD, ip="203.0.113.7")
    chat = chats.create_chat(session, user_id=uid, ip="203.0.113.7")
    version = workflows.save_version(session, chat=chat, graph=GRAPH, source="import")
    run, _ = runs.create_run(session, user_id=uid, chat_id=chat.id, trigger="manual")
    credentials.create_credential(session, user_id=uid, name="SLACK_URL", value=SECRET)
    credentials.replace_value(session, user_id=uid, name="SLACK_URL", value=SECRET + "2")
    credentials.resolve(session, user_id=uid, name="SLACK_URL")
    credentials.delete_credential(session, user_id=uid, name="SLACK_URL")
    chats.delete_chat(session, user_id=uid, chat_id=chat.id)
    session.flush()

    chat_target = f"chat:{chat.id}"
    assert _pairs(session, uid) == [
        ("login.success", f"user:{uid}"),
        ("chat.create", chat_target),
        ("workflow.version", chat_target),
        ("run.start", f"run:{run.id}"),
        ("secret.create", "secret:SLACK_URL"),
        ("secret.replace", "secret:SLACK_URL"),
        ("secret.use", "secret:SLACK_URL"),
        ("secret.delete", "secret:SLACK_URL"),
        ("chat.delete", chat_target),
    ]
    by_action = {e.action: e for e in _events(session, uid)}
    assert by_action["login.success"].ip == "203.0.113.7"
    assert by_action["chat.create"].ip == "203.0.113.7"
    assert by_action["workflow.version"].detail == {"number": version.number, "source": "import"}
    assert by_action["run.start"].detail["trigger"] == "manual"
    stored = repr([(e.target, e.detail) for e in _events(session)])
    assert "very-secret-value" not in stored


def test_an_action_rolled_back_leaves_no_event(database_url):
    with session_scope() as session:
        uid = make_user(session).id
    with pytest.raises(RuntimeError), session_scope() as session:
        chats.create_chat(session, user_id=uid)
        raise RuntimeError("the caller fails after the service call")
    with session_scope() as session:
        assert _events(session, uid) == []


def test_failed_logins_are_kept_without_the_password(database_url):
    with session_scope() as session:
        uid = make_user(session, "grace").id
    wrong = "Wr0ng-horse-battery"
    for login in ("grace", "nobody_here"):
        # The caller's scope rolls back on Unauthorized: the failure must survive that.
        with pytest.raises(Unauthorized), session_scope() as session:
            accounts.authenticate(session, login=login, password=wrong, ip="198.51.100.4")
    with pytest.raises(Unauthorized):
        auth_forms._authenticate("GRACE", PASSWORD + "x", "198.51.100.5")  # the login form's path

    with session_scope() as session:
        known, unknown, form = _events(session)
    assert (known.user_id, known.action, known.detail, known.ip) == (
        uid, "login.failure", {"login": "grace"}, "198.51.100.4")
    assert (unknown.user_id, unknown.target, unknown.detail) == (None, None, {"login": "nobody_here"})
    assert (form.user_id, form.ip) == (uid, "198.51.100.5")
    with get_engine().connect() as conn:
        cells = repr(conn.execute(sa.text("SELECT * FROM audit_events")).all())
    assert wrong not in cells and PASSWORD not in cells


def test_users_see_only_their_own_events_newest_first(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    mine = [chats.create_chat(session, user_id=alice.id).id for _ in range(3)]
    theirs = chats.create_chat(session, user_id=bob.id)
    session.flush()

    listed = audit.list_events(session, user_id=alice.id)
    assert [e.target for e in listed] == [f"chat:{i}" for i in reversed(mine)]
    assert f"chat:{theirs.id}" not in repr(listed)
    assert [e.target for e in audit.list_events(session, user_id=bob.id)] == [f"chat:{theirs.id}"]

    first, second = (audit.list_events(session, user_id=alice.id, limit=2),
                     audit.list_events(session, user_id=alice.id, limit=2, before_id=listed[1].id))
    assert [e.id for e in first + second] == [e.id for e in listed]
    bobs_id = audit.list_events(session, user_id=bob.id)[0].id
    assert audit.list_events(session, user_id=alice.id, before_id=bobs_id) == []  # foreign cursor


def test_secret_use_is_recorded_at_most_once_a_minute(session):
    uid = make_user(session).id
    credentials.create_credential(session, user_id=uid, name="API_TOKEN", value=SECRET)
    for _ in range(3):
        assert credentials.resolve(session, user_id=uid, name="API_TOKEN") == SECRET
    session.flush()
    assert [a for a, _ in _pairs(session, uid)].count("secret.use") == 1

    row = session.exec(select(Credential).where(Credential.user_id == uid)).one()
    row.last_used_at = row.last_used_at - timedelta(minutes=2)  # type: ignore[operator]
    session.add(row)
    credentials.resolve(session, user_id=uid, name="API_TOKEN")
    credentials.resolve(session, user_id=uid, name="API_TOKEN")
    session.flush()
    assert [a for a, _ in _pairs(session, uid)].count("secret.use") == 2


def test_the_activity_dialog_lists_its_own_user_only(database_url):
    with session_scope() as session:
        alice, bob = make_user(session, "alice").id, make_user(session, "bob").id
        chats.create_chat(session, user_id=bob, title="Bob's plans")
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(ActivityState.get_full_name().split(".")[1:])
    state.token = issue_token(alice)
    ActivityState.set_activity_open.fn(state, True)
    assert state.activity_open and state.activity_items == []  # the empty state

    with session_scope() as session:
        chat_id = chats.create_chat(session, user_id=alice).id
    ActivityState.set_activity_open.fn(state, True)
    [item] = state.activity_items
    assert (item.action, item.target, item.failed) == ("Created a chat", f"chat:{chat_id}", False)
    ActivityState.set_activity_open.fn(state, False)
    assert not state.activity_open and state.activity_items == []
    state.token = ""
    assert "/login" in repr(ActivityState.set_activity_open.fn(state, True))


def test_a_webhook_run_records_the_callers_address(engine):
    hook = {"nodes": [node("hook", "webhook", {"method": "POST"}),
                      node("reply", "transform", {"template": "ok"})],
            "edges": [edge("hook", "reply")]}
    user_id, chat_id = chat_with_graph(hook)
    with session_scope() as session:
        path = triggers.get_triggers(session, user_id=user_id, chat_id=chat_id).webhook_path

    async def scenario() -> str:
        transport = httpx.ASGITransport(app=api, client=("192.0.2.9", 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            run_id = (await client.post(path, json={})).json()["run_id"]  # type: ignore[arg-type]
        await finished(run_id)
        return run_id

    run_id = asyncio.run(scenario())
    with session_scope() as session:
        [event] = [e for e in _events(session, user_id) if e.action == "run.start"]
    assert (event.target, event.detail["trigger"], event.ip) == (f"run:{run_id}", "webhook", "192.0.2.9")
