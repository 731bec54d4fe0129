"""Import and export handlers, called directly on a real state over a real database.

A valid file becomes a new version equal to the file; a broken one lists its problems and stores
nothing; another user's chat is neither read nor written.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path

import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.sample_graphs import digest
from workflow_chat.auth.tokens import issue_token
from workflow_chat.components.import_export import MAX_BYTES, ImportExportState, file_slug
from workflow_chat.db import session_scope
from workflow_chat.llm.offline import plan
from workflow_chat.services import chats, workflows


def _state(user_id: int, chat_id: int = 0) -> ImportExportState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(ImportExportState.get_full_name().split(".")[1:])
    state.token = issue_token(user_id)
    state.current_chat_id = chat_id
    return state


def _upload(data: bytes | str, name: str = "flow.workflow.json") -> list[rx.UploadFile]:
    raw = data.encode() if isinstance(data, str) else data
    return [rx.UploadFile(file=io.BytesIO(raw), path=Path(name), size=len(raw))]


def _import(state: ImportExportState, data: bytes | str):
    return asyncio.run(ImportExportState.import_file.fn(state, _upload(data)))


def _versions(user_id: int, chat_id: int):
    with session_scope() as session:
        return workflows.list_versions(session, user_id=user_id, chat_id=chat_id)


def _current_graph(user_id: int, chat_id: int):
    with session_scope() as session:
        version = workflows.current_version(session, user_id=user_id, chat_id=chat_id)
        return version.graph if version else None


@pytest.fixture
def accounts(database_url):
    """Alice: a chat with one AI version, an empty named chat, a new chat; Bob: one version."""
    with session_scope() as session:
        alice, bob = make_user(session, "alice"), make_user(session, "bob")
        full = chats.create_chat(session, user_id=alice.id, title="Digest")
        workflows.save_version(session, chat=full, source="ai",
                               graph=plan("every day at 9 fetch https://example.com/a and email me").workflow)
        empty = chats.create_chat(session, user_id=alice.id, title="Empty")
        fresh = chats.create_chat(session, user_id=alice.id)
        bobs = chats.create_chat(session, user_id=bob.id, title="Bob's payroll")
        workflows.save_version(session, chat=bobs, source="ai",
                               graph=plan("fetch https://bob.example/pay and email me").workflow)
        return alice.id, bob.id, full.id, empty.id, bobs.id, fresh.id


def test_export_downloads_the_current_graph_as_pretty_json(accounts):
    alice, _, full, *_ = accounts
    event = ImportExportState.export_json.fn(_state(alice, full))
    args = {name._js_expr: value._var_value for name, value in event.args}
    graph = _current_graph(alice, full)
    assert args["filename"] == f"{file_slug(graph['name'])}.workflow.json"
    header, encoded = args["url"].split(",", 1)
    assert header == "data:application/json;base64"
    text = base64.b64decode(encoded).decode()
    assert json.loads(text) == graph and text.startswith('{\n  "schema": 1')


def test_valid_import_is_a_new_version_equal_to_the_file(accounts):
    alice, _, full, *_ = accounts
    graph = digest().to_json()
    state = _state(alice, full)
    ImportExportState.set_import_open.fn(state, True)
    result = _import(state, json.dumps(graph))
    assert "Imported as version 2" in repr(result)
    assert state.import_open is False and state.import_problems == []
    versions = _versions(alice, full)
    assert [(v.number, v.source) for v in versions] == [(2, "import"), (1, "ai")]
    assert _current_graph(alice, full) == graph
    assert sorted(n["id"] for n in state.nodes) == sorted(n["id"] for n in graph["nodes"])
    assert state.version_number == 2 and state.workflow_name == "Digest"


def test_import_into_a_chat_without_a_graph_and_without_a_chat(accounts):
    alice, _, _, empty, _, fresh = accounts
    graph = digest().to_json()
    _import(state := _state(alice, empty), json.dumps(graph))
    assert [(v.number, v.source) for v in _versions(alice, empty)] == [(1, "import")]
    # A chat named by the user keeps its name.
    assert {c.title for c in state.chats} >= {"Digest", "Empty"}
    # A chat still called "New chat" is named after the imported workflow.
    _import(state := _state(alice, fresh), json.dumps(digest().to_json() | {"name": "Payroll"}))
    assert state.current_title == "Payroll" and _versions(alice, fresh)[0].source == "import"
    assert _current_graph(alice, empty) == graph
    # No chat open (a new account): the import makes a chat named after the workflow.
    with session_scope() as session:
        carol = make_user(session, "carol").id
    state = _state(carol)
    _import(state, json.dumps(graph))
    assert [c.title for c in state.chats] == ["Digest"] and state.current_chat_id
    assert _current_graph(carol, state.current_chat_id) == graph


@pytest.mark.parametrize(("data", "expected"), [
    ("not json at all", "not valid JSON"),
    ("[1, 2]", "not a JSON list"),
    ("", "empty"),
    (b"\xff\xfe\x00garbage", "not text"),
    ("{" + " " * MAX_BYTES + "}", "larger than 1 MB"),
])
def test_unreadable_files_are_refused_with_a_reason(accounts, data, expected):
    alice, _, full, *_ = accounts
    state = _state(alice, full)
    _import(state, data)
    assert len(state.import_problems) == 1 and expected in state.import_problems[0]
    assert len(_versions(alice, full)) == 1


def test_a_graph_breaking_rules_lists_every_problem_and_stores_nothing(accounts):
    alice, _, full, empty, *_ = accounts
    graph = digest().to_json()
    graph["nodes"][1]["kind"] = "teleport"
    graph["nodes"][2]["config"] = {}
    graph["edges"].append({"id": "e9", "source": "email", "target": "ghost"})
    state = _state(alice, full)
    before = _current_graph(alice, full)
    _import(state, json.dumps(graph))
    problems = " | ".join(state.import_problems)
    assert len(state.import_problems) >= 3
    assert "unknown kind 'teleport'" in problems and "ghost" in problems
    assert "summarise" in problems
    assert len(_versions(alice, full)) == 1 and _current_graph(alice, full) == before
    # A cycle, and two triggers, in the chat without a graph: still nothing stored.
    cyclic = digest().to_json()
    cyclic["edges"].append({"id": "back", "source": "email", "target": "fetch"})
    _import(state := _state(alice, empty), json.dumps(cyclic))
    assert any("cycle" in p for p in state.import_problems)
    assert _versions(alice, empty) == []


def test_another_users_chat_is_neither_read_nor_written(accounts):
    alice, bob, _, _, bobs, _ = accounts
    before = _current_graph(bob, bobs)
    state = _state(alice, bobs)
    result = ImportExportState.export_json.fn(state)
    assert "download" not in repr(result).lower() and "bob.example" not in repr(result)
    _import(state, json.dumps(digest().to_json()))
    assert state.import_problems and state.nodes == []
    assert len(_versions(bob, bobs)) == 1 and _current_graph(bob, bobs) == before


@pytest.mark.parametrize("token", ["", "not-a-jwt"])
def test_without_a_valid_token_both_handlers_redirect(accounts, token):
    _, bob, _, _, bobs, _ = accounts
    state = _state(bob, bobs)
    state.token = token
    assert "/login" in repr(ImportExportState.export_json.fn(state))
    assert "/login" in repr(_import(state, json.dumps(digest().to_json())))
    assert len(_versions(bob, bobs)) == 1
