"""The canvas editor's handlers on a real state object over a real database: each gesture is one
version, refused edits change nothing, and another user's chat is never touched."""

from __future__ import annotations

import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.llm.offline import plan
from workflow_chat.services import chats, workflows
from workflow_chat.state.editor import EditorState

REQUEST = "every day at 9 fetch https://example.com/items and email me a summary"


def _editor(token: str, chat_id: int = 0) -> EditorState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(EditorState.get_full_name().split(".")[1:])
    state.token = token
    if chat_id:
        state.current_chat_id = chat_id
        state._reload_graph(state._user_id())
    return state


@pytest.fixture
def owned(database_url):
    """(user id, chat with a planned graph, empty chat, the graph)."""
    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id)
        graph = plan(REQUEST).workflow
        workflows.save_version(session, chat=chat, graph=graph, source="ai")
        empty = chats.create_chat(session, user_id=user.id)
        return user.id, chat.id, empty.id, graph


def _versions(user_id: int, chat_id: int) -> list:
    with session_scope() as session:
        return workflows.list_versions(session, user_id=user_id, chat_id=chat_id)


def _graph(user_id: int, chat_id: int) -> dict:
    with session_scope() as session:
        return workflows.current_version(session, user_id=user_id, chat_id=chat_id).graph


def test_another_users_chat_is_never_edited(owned):
    bob, bobs_chat, _, graph = owned
    with session_scope() as session:
        alice = make_user(session).id
    before = _graph(bob, bobs_chat)
    state = _editor(issue_token(alice))
    state.current_chat_id = bobs_chat  # even a state pointing at Bob's chat cannot write to it
    first, last = graph.nodes[0].id, graph.nodes[-1].id
    results = [
        EditorState.connect.fn(state, {"source": first, "target": last, "branch": None}),
        EditorState.delete_selection.fn(state, {"nodes": [last], "edges": []}),
        EditorState.duplicate.fn(state, last),
        EditorState.add_node.fn(state, "slack"),
        EditorState.add_dropped.fn(state, {"kind": "delay", "x": 10, "y": 900}),
        EditorState.move.fn(state, [{"id": last, "x": 5, "y": 5}]),
    ]
    assert all("toast" in repr(r) for r in results)
    assert state.nodes == [] and state.versions == []
    assert _graph(bob, bobs_chat) == before and len(_versions(bob, bobs_chat)) == 1


@pytest.mark.parametrize("token", ["", "not-a-jwt"])
def test_without_a_valid_token_every_handler_redirects(owned, token):
    user, chat_id, _, graph = owned
    state = _editor(token)
    state.current_chat_id = chat_id
    for result in (
        EditorState.connect.fn(state, {"source": "a", "target": "b"}),
        EditorState.delete_selection.fn(state, {"nodes": [graph.nodes[-1].id]}),
        EditorState.duplicate.fn(state, graph.nodes[-1].id),
        EditorState.add_node.fn(state, "slack"),
        EditorState.move.fn(state, [{"id": graph.nodes[-1].id, "x": 5, "y": 5}]),
    ):
        assert "/login" in repr(result)
    assert len(_versions(user, chat_id)) == 1


def test_each_gesture_is_one_version(owned):
    user, chat_id, _, graph = owned
    state = _editor(issue_token(user), chat_id)
    last = graph.nodes[-1]
    EditorState.add_node.fn(state, "slack")  # nothing selected: appended after the last step
    assert state.highlight_ids == ["slack"] and len(_versions(user, chat_id)) == 2
    added = _graph(user, chat_id)
    assert {"source": last.id, "target": "slack"} in [
        {"source": e["source"], "target": e["target"]} for e in added["edges"]]
    assert next(n for n in added["nodes"] if n["id"] == "slack")["config"]["text"] == "…"

    EditorState.add_dropped.fn(state, {"kind": "slack", "x": 333, "y": 2000})
    dropped = next(n for n in _graph(user, chat_id)["nodes"] if n["id"] == "slack_2")
    assert dropped["position"] == {"x": 333, "y": 2000} and len(_versions(user, chat_id)) == 3

    EditorState.duplicate.fn(state, last.id)
    copy = next(n for n in _graph(user, chat_id)["nodes"] if n["id"] == f"{last.id}_2")
    assert copy["label"] == f"{last.label} (copy)" and copy["config"] == last.config
    assert copy["position"]["y"] == last.position.y and copy["position"]["x"] > last.position.x
    assert len(_versions(user, chat_id)) == 4

    EditorState.delete_selection.fn(state, {"nodes": ["slack_2", copy["id"]], "edges": []})
    assert {n["id"] for n in _graph(user, chat_id)["nodes"]} == {n.id for n in graph.nodes} | {"slack"}
    EditorState.move.fn(state, [{"id": "slack", "x": 700, "y": 800}])
    assert len(_versions(user, chat_id)) == 6 and state.can_undo


def test_refused_edits_change_nothing_and_say_why(owned):
    user, chat_id, _, graph = owned
    state = _editor(issue_token(user), chat_id)
    first_action, last = graph.nodes[1].id, graph.nodes[-1].id
    cycle = EditorState.connect.fn(state, {"source": last, "target": first_action, "branch": None})
    assert "cycle" in repr(cycle)
    trigger = EditorState.add_node.fn(state, "webhook")
    assert "exactly one trigger" in repr(trigger)
    no_delete = EditorState.delete_selection.fn(state, {"nodes": [graph.nodes[0].id], "edges": []})
    assert "trigger cannot be deleted" in repr(no_delete)
    assert "does not exist" in repr(EditorState.add_node.fn(state, "teleport"))
    assert len(_versions(user, chat_id)) == 1

    state.preview_version_id = 99  # looking at an old version
    assert "older version" in repr(EditorState.add_node.fn(state, "slack"))
    state.preview_version_id, state.sending = 0, True
    assert "wait for the answer" in repr(EditorState.duplicate.fn(state, last))
    assert len(_versions(user, chat_id)) == 1


def test_adding_to_a_chat_without_a_graph_starts_one(owned):
    user, _, empty, _ = owned
    state = _editor(issue_token(user), empty)
    EditorState.add_node.fn(state, "http_request")
    graph = _graph(user, empty)
    assert [n["kind"] for n in graph["nodes"]] == ["manual", "http_request"]
    assert graph["nodes"][1]["config"]["url"] == "https://example.com"
    assert [v.source for v in _versions(user, empty)] == ["edit"]
    assert len(state.nodes) == 2 and state.layout_nonce > 0


def test_adding_after_the_selected_step_inserts_it_before_the_next(owned):
    user, chat_id, _, graph = owned
    state = _editor(issue_token(user), chat_id)
    first, second = graph.nodes[1].id, graph.nodes[2].id
    EditorState.select.fn(state, [first])
    EditorState.add_node.fn(state, "delay", None, None)
    ends = {(e["source"], e["target"]) for e in _graph(user, chat_id)["edges"]}
    assert (first, "delay") in ends and ("delay", second) in ends and (first, second) not in ends
