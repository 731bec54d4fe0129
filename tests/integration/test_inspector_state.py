"""The inspector's handlers over a real database: edits are validated, saved and coalesced, and
nobody edits someone else's graph. Handlers run on a state object as the framework builds it."""

from __future__ import annotations

import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.sample_graphs import digest
from workflow_chat.auth.tokens import issue_token
from workflow_chat.components.inspector import InspectorState
from workflow_chat.db import session_scope
from workflow_chat.services import chats, workflows


@pytest.fixture
def owners(database_url):
    with session_scope() as session:
        alice, bob = make_user(session, "alice"), make_user(session, "bob")
        ids = {}
        for user in (alice, bob):
            chat = chats.create_chat(session, user_id=user.id, title=f"{user.username}'s digest")
            workflows.save_version(session, chat=chat, graph=digest(), source="ai")
            ids[user.username] = (user.id, chat.id)
        return ids


def _inspector(user_id: int, chat_id: int) -> InspectorState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(InspectorState.get_full_name().split(".")[1:])
    state.token = issue_token(user_id)
    state.current_chat_id = chat_id
    return state


def _graph_and_count(user_id: int, chat_id: int) -> tuple[dict, int]:
    with session_scope() as session:
        version = workflows.current_version(session, user_id=user_id, chat_id=chat_id)
        count = len(workflows.list_versions(session, user_id=user_id, chat_id=chat_id))
        return version.graph, count


def _node(graph: dict, node_id: str) -> dict:
    return next(n for n in graph["nodes"] if n["id"] == node_id)


def _row(state: InspectorState, name: str):
    return next(r for r in state.fields if r.name == name)


def test_open_shows_the_generated_form(owners):
    state = _inspector(*owners["alice"])
    InspectorState.open.fn(state, "summarise")
    assert state.inspected_id == "summarise" and state.node_label == "Summarise"
    assert state.kind_title == "LLM"
    assert [r.name for r in state.fields] == ["operation", "prompt", "input", "model"]
    assert _row(state, "input").text == "{{ nodes.fetch.output.body }}"
    assert "{{ nodes.fetch.output.body }}" in state.hints
    InspectorState.open.fn(state, "ghost")
    assert state.inspected_id == "" and state.fields == []


def test_a_burst_of_edits_to_one_field_is_one_version(owners):
    user_id, chat_id = owners["alice"]
    state = _inspector(user_id, chat_id)
    InspectorState.open.fn(state, "fetch")
    for url in ("https://a.example", "https://ab.example", "https://abc.example/items"):
        InspectorState.set_field.fn(state, "url", url)
    graph, count = _graph_and_count(user_id, chat_id)
    assert _node(graph, "fetch")["config"]["url"] == "https://abc.example/items"
    assert count == 2  # the AI's version and one edit
    assert any(n["data"]["summary"] == "GET https://abc.example/items" for n in state.nodes)

    InspectorState.set_field.fn(state, "timeout_seconds", "12")
    InspectorState.set_field.fn(state, "headers", '{"Accept": "application/json"}')
    InspectorState.set_label.fn(state, "Fetch the items ")
    graph, count = _graph_and_count(user_id, chat_id)
    fetch = _node(graph, "fetch")
    assert fetch["config"]["timeout_seconds"] == 12 and fetch["label"] == "Fetch the items"
    assert fetch["config"]["headers"] == {"Accept": "application/json"}
    assert count == 5  # one more version per field
    assert state.node_label == "Fetch the items "  # the text as typed stays in the input
    assert _row(state, "timeout_seconds").text == "12"


def test_show_if_follows_the_saved_operation(owners):
    state = _inspector(*owners["alice"])
    InspectorState.open.fn(state, "summarise")
    InspectorState.set_field.fn(state, "operation", "classify")
    assert "labels" in [r.name for r in state.fields]
    InspectorState.set_field.fn(state, "labels", "bug, idea")
    graph, _ = _graph_and_count(*owners["alice"])
    assert _node(graph, "summarise")["config"]["labels"] == ["bug", "idea"]


@pytest.mark.parametrize(("name", "raw", "error"), [
    ("url", "ftp://example.com", "Url must start with http:// or https://."),
    ("timeout_seconds", "-3", "Input should be greater than 0."),
    ("headers", '{"Accept": ', "Not valid JSON"),
    ("url", "  ", "This field is required."),
])
def test_an_invalid_value_shows_its_error_and_is_not_saved(owners, name, raw, error):
    user_id, chat_id = owners["alice"]
    before = _graph_and_count(user_id, chat_id)
    state = _inspector(user_id, chat_id)
    InspectorState.open.fn(state, "fetch")
    InspectorState.set_field.fn(state, name, raw)
    row = _row(state, name)
    assert row.error.startswith(error) and row.text == raw
    assert _graph_and_count(user_id, chat_id) == before
    InspectorState.set_label.fn(state, "   ")
    assert state.label_error and _graph_and_count(user_id, chat_id) == before


def test_a_valid_value_clears_the_error(owners):
    state = _inspector(*owners["alice"])
    InspectorState.open.fn(state, "trigger")
    InspectorState.set_field.fn(state, "cron", "0 9 * *")
    assert _row(state, "cron").error.startswith("Cron must have 5 fields")
    InspectorState.set_field.fn(state, "cron", "0 9 * * 1-5")
    row = _row(state, "cron")
    assert row.error == "" and row.preview == "At 09:00, Monday through Friday"


def test_hint_insertion_saves_the_template(owners):
    state = _inspector(*owners["alice"])
    InspectorState.open.fn(state, "email")
    InspectorState.insert_hint.fn(state, "body", "{{ nodes.fetch.output.status }}")
    graph, _ = _graph_and_count(*owners["alice"])
    assert _node(graph, "email")["config"]["body"] == (
        "{{ nodes.summarise.output.text }} {{ nodes.fetch.output.status }}")


def test_no_edits_while_the_assistant_answers_or_an_old_version_shows(owners):
    user_id, chat_id = owners["alice"]
    before = _graph_and_count(user_id, chat_id)
    state = _inspector(user_id, chat_id)
    InspectorState.open.fn(state, "fetch")
    state.sending = True
    InspectorState.set_field.fn(state, "url", "https://changed.example")
    InspectorState.set_label.fn(state, "Changed")
    state.sending, state.preview_version_id = False, 1
    InspectorState.set_field.fn(state, "url", "https://changed.example")
    assert _graph_and_count(user_id, chat_id) == before


def test_another_users_chat_is_out_of_reach(owners):
    alice_id, _ = owners["alice"]
    bob_id, bobs_chat = owners["bob"]
    before = _graph_and_count(bob_id, bobs_chat)
    state = _inspector(alice_id, bobs_chat)
    InspectorState.open.fn(state, "fetch")
    assert state.inspected_id == "" and state.fields == []
    # Even a state that somehow shows Bob's node cannot write to it.
    state.inspected_id, state._kind = "fetch", "http_request"
    state._config = _node(before[0], "fetch")["config"]
    InspectorState.set_field.fn(state, "url", "https://alice.example")
    InspectorState.set_label.fn(state, "Pwned")
    InspectorState.insert_hint.fn(state, "url", "{{ nodes.trigger.output }}")
    assert _graph_and_count(bob_id, bobs_chat) == before
    assert state.inspected_id == ""


def test_without_a_valid_token_handlers_redirect(owners):
    bob_id, bobs_chat = owners["bob"]
    state = _inspector(bob_id, bobs_chat)
    state.token = "forged"
    assert "/login" in repr(InspectorState.open.fn(state, "fetch"))
    assert "/login" in repr(InspectorState.set_field.fn(state, "url", "https://x.example"))
    assert state.inspected_id == ""
