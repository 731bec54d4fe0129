"""Manual edits: each gesture one version, refused edits store nothing, other users get nothing."""

from __future__ import annotations

import pytest

from tests.support.accounts import make_user
from workflow_chat.llm.offline import plan
from workflow_chat.services import chats, edits, workflows
from workflow_chat.services.errors import Invalid, NotFound


@pytest.fixture
def chat_with_graph(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    graph = plan("every day at 9 fetch https://example.com/items and email me a summary").workflow
    workflows.save_version(session, chat=chat, graph=graph, source="ai")
    return user.id, chat.id, graph


def _versions(session, user_id, chat_id):
    return workflows.list_versions(session, user_id=user_id, chat_id=chat_id)


def test_adding_a_node_is_one_edit_version(session, chat_with_graph):
    user_id, chat_id, graph = chat_with_graph
    last = graph.nodes[-1].id
    result = edits.apply_edit(session, user_id=user_id, chat_id=chat_id, ops=[
        {"op": "add_node", "id": "slack", "kind": "slack", "label": "Tell the team",
         "config": {"text": "done"}, "after": last}])
    assert result.version.source == "edit" and result.changes.added == ("slack",)
    assert [v.number for v in _versions(session, user_id, chat_id)] == [2, 1]


def test_invalid_edits_are_refused_with_reasons_and_store_nothing(session, chat_with_graph):
    user_id, chat_id, graph = chat_with_graph
    first, last = graph.nodes[0].id, graph.nodes[-1].id
    with pytest.raises(Invalid, match="cycle|trigger"):
        edits.apply_edit(session, user_id=user_id, chat_id=chat_id,
                         ops=[{"op": "connect", "source": last, "target": first}])
    with pytest.raises(Invalid, match="no node 'ghost'"):
        edits.apply_edit(session, user_id=user_id, chat_id=chat_id,
                         ops=[{"op": "remove_node", "id": "ghost"}])
    with pytest.raises(Invalid, match="not valid"):
        edits.apply_edit(session, user_id=user_id, chat_id=chat_id, ops=[{"op": "explode"}])
    assert len(_versions(session, user_id, chat_id)) == 1


def test_typing_in_one_field_coalesces_but_another_field_does_not(session, chat_with_graph):
    user_id, chat_id, graph = chat_with_graph
    fetch = next(n.id for n in graph.nodes if n.kind == "http_request")
    for url in ("https://a.example", "https://ab.example", "https://abc.example"):
        edits.apply_edit(session, user_id=user_id, chat_id=chat_id, gesture=f"config:{fetch}",
                         ops=[{"op": "update_node", "id": fetch, "config": {"url": url}}])
    assert len(_versions(session, user_id, chat_id)) == 2
    current = workflows.current_version(session, user_id=user_id, chat_id=chat_id)
    assert next(n for n in current.graph["nodes"] if n["id"] == fetch)["config"]["url"] == \
        "https://abc.example"
    edits.apply_edit(session, user_id=user_id, chat_id=chat_id, gesture=f"label:{fetch}",
                     ops=[{"op": "update_node", "id": fetch, "label": "Fetch orders"}])
    assert len(_versions(session, user_id, chat_id)) == 3
    # Undo then edit again: a new branch, never a silent rewrite of the version undone to.
    workflows.step(session, user_id=user_id, chat_id=chat_id, direction="back")
    edits.apply_edit(session, user_id=user_id, chat_id=chat_id, gesture=f"config:{fetch}",
                     ops=[{"op": "update_node", "id": fetch, "config": {"url": "https://z.example"}}])
    assert len(_versions(session, user_id, chat_id)) == 4


def test_drags_are_versions_and_repeated_drags_coalesce(session, chat_with_graph):
    user_id, chat_id, graph = chat_with_graph
    node = graph.nodes[1].id
    edits.move_nodes(session, user_id=user_id, chat_id=chat_id, positions=[{"id": node, "x": 10, "y": 20}])
    edits.move_nodes(session, user_id=user_id, chat_id=chat_id, positions=[{"id": node, "x": 30, "y": 40}])
    assert len(_versions(session, user_id, chat_id)) == 2
    with pytest.raises(Invalid):
        edits.move_nodes(session, user_id=user_id, chat_id=chat_id,
                         positions=[{"id": node, "x": float("inf"), "y": 0}])


def test_import_validates_and_other_users_are_refused(session, chat_with_graph):
    user_id, chat_id, graph = chat_with_graph
    broken = graph.to_json() | {"edges": []}
    with pytest.raises(Invalid, match="cannot be reached"):
        edits.replace_graph(session, user_id=user_id, chat_id=chat_id, graph=broken)
    with pytest.raises(Invalid):
        edits.replace_graph(session, user_id=user_id, chat_id=chat_id, graph={"nodes": "nope"})
    assert len(_versions(session, user_id, chat_id)) == 1
    imported = edits.replace_graph(session, user_id=user_id, chat_id=chat_id, graph=graph.to_json())
    assert imported.source == "import"
    intruder = make_user(session)
    for call in (
        lambda: edits.apply_edit(session, user_id=intruder.id, chat_id=chat_id,
                                 ops=[{"op": "rename", "name": "mine"}]),
        lambda: edits.move_nodes(session, user_id=intruder.id, chat_id=chat_id, positions=[]),
        lambda: edits.replace_graph(session, user_id=intruder.id, chat_id=chat_id, graph=graph.to_json()),
    ):
        with pytest.raises(NotFound):
            call()
