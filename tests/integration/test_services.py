"""Services on SQLite and PostgreSQL: accounts, chats, messages, versions, ownership."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.support.accounts import make_user
from workflow_chat.graph import GraphInvalid
from workflow_chat.llm.offline import plan
from workflow_chat.models import Message
from workflow_chat.services import accounts, chats, messages, workflows
from workflow_chat.services.errors import Conflict, Invalid, NotFound, Unauthorized


def test_register_then_login_by_username_or_email(session):
    user = accounts.register(session, username="Ada", email="Ada@Example.com", password="password1")
    assert user.email == "ada@example.com"
    assert accounts.authenticate(session, login="ada", password="password1").id == user.id
    assert accounts.authenticate(session, login="ADA@example.com", password="password1").id == user.id
    with pytest.raises(Unauthorized, match="Wrong username/email or password"):
        accounts.authenticate(session, login="ada", password="password2")
    with pytest.raises(Unauthorized, match="Wrong username/email or password"):
        accounts.authenticate(session, login="nobody", password="password1")


def test_duplicates_and_bad_input_get_clear_messages(session):
    accounts.register(session, username="grace", email="grace@example.com", password="password1")
    with pytest.raises(Conflict, match="username is already taken"):
        accounts.register(session, username="Grace", email="other@example.com", password="password1")
    with pytest.raises(Conflict, match="email already exists"):
        accounts.register(session, username="grace2", email="GRACE@example.com", password="password1")
    with pytest.raises(Invalid, match="at least 8"):
        accounts.register(session, username="alan", email="alan@example.com", password="short")
    with pytest.raises(Invalid, match="at most 72 bytes"):
        accounts.register(session, username="alan", email="alan@example.com", password="p" * 73)
    with pytest.raises(Invalid, match="valid email"):
        accounts.register(session, username="alan", email="not-an-email", password="password1")


def test_chats_listed_newest_activity_first_with_title_from_first_message(session):
    user = make_user(session)
    first = chats.create_chat(session, user_id=user.id)
    second = chats.create_chat(session, user_id=user.id)
    messages.add_user_message(
        session, user_id=user.id, chat_id=first.id,
        content="Every Monday fetch the sales report and post it to Slack #sales please",
    )
    listed = chats.list_chats(session, user_id=user.id)
    assert [c.id for c in listed] == [first.id, second.id]
    assert listed[0].title.startswith("Every Monday fetch the sales report")
    assert len(listed[0].title) <= 48
    assert listed[1].title == "New chat"


def test_renamed_title_is_not_replaced_by_a_message(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    chats.rename_chat(session, user_id=user.id, chat_id=chat.id, title="  Weekly   report ")
    messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="hello there")
    assert chats.list_chats(session, user_id=user.id)[0].title == "Weekly report"
    with pytest.raises(Invalid):
        chats.rename_chat(session, user_id=user.id, chat_id=chat.id, title="   ")


def test_empty_and_oversize_messages_are_refused_and_nothing_stored(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    with pytest.raises(Invalid, match="Type a message"):
        messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="  \n ")
    with pytest.raises(Invalid, match="too long"):
        messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="x" * 8001)
    assert messages.list_messages(session, user_id=user.id, chat_id=chat.id) == []


def test_another_users_chat_cannot_be_read_renamed_or_deleted(session):
    owner, intruder = make_user(session), make_user(session)
    chat = chats.create_chat(session, user_id=owner.id, title="Private")
    messages.add_user_message(session, user_id=owner.id, chat_id=chat.id, content="secret plan")
    for call in (
        lambda: messages.list_messages(session, user_id=intruder.id, chat_id=chat.id),
        lambda: chats.rename_chat(session, user_id=intruder.id, chat_id=chat.id, title="Mine"),
        lambda: chats.delete_chat(session, user_id=intruder.id, chat_id=chat.id),
        lambda: messages.add_user_message(session, user_id=intruder.id, chat_id=chat.id, content="hi"),
        lambda: workflows.current_version(session, user_id=intruder.id, chat_id=chat.id),
        lambda: workflows.save_positions(session, user_id=intruder.id, chat_id=chat.id, positions=[]),
    ):
        with pytest.raises(NotFound):
            call()
    assert chats.list_chats(session, user_id=intruder.id) == []
    assert chats.list_chats(session, user_id=owner.id)[0].title == "Private"
    assert len(messages.list_messages(session, user_id=owner.id, chat_id=chat.id)) == 1


def test_delete_removes_messages_and_versions(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    workflows.save_version(session, chat=chat, graph=plan("fetch https://a.example and email me").workflow, source="ai")
    messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="hello")
    chats.delete_chat(session, user_id=user.id, chat_id=chat.id)
    session.flush()
    assert chats.list_chats(session, user_id=user.id) == []
    assert session.exec(select(func.count()).select_from(Message)).one() == 0


def test_versions_are_numbered_validated_and_positions_saved(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    graph = plan("every day at 9 fetch https://example.com/x and summarise it").workflow
    v1 = workflows.save_version(session, chat=chat, graph=graph, source="ai")
    v2 = workflows.save_version(session, chat=chat, graph=graph, source="ai")
    assert (v1.number, v2.number) == (1, 2)
    broken = graph.to_json() | {"edges": []}
    with pytest.raises(GraphInvalid, match="cannot be reached"):
        workflows.save_version(session, chat=chat, graph=broken, source="ai")
    first_id = graph.nodes[0].id
    workflows.save_positions(
        session, user_id=user.id, chat_id=chat.id,
        positions=[{"id": first_id, "x": 120.5, "y": 40}, {"id": "ghost", "x": 1, "y": 1}],
    )
    with pytest.raises(Invalid, match="finite"):
        workflows.save_positions(
            session, user_id=user.id, chat_id=chat.id,
            positions=[{"id": graph.nodes[1].id, "x": float("nan"), "y": 0}],
        )
    latest = workflows.current_version(session, user_id=user.id, chat_id=chat.id)
    assert latest.number == 2
    by_id = {n["id"]: n["position"] for n in latest.graph["nodes"]}
    assert by_id[first_id] == {"x": 120.5, "y": 40}
    assert by_id[graph.nodes[1].id] == {"x": 0, "y": 0}
    assert "ghost" not in by_id


def test_undo_redo_restore_walk_the_version_tree(session):
    user, other = make_user(session), make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    g1 = plan("every day at 9 fetch https://example.com/a and email me").workflow
    g2 = plan("every day at 9 fetch https://example.com/b and post it to Slack").workflow
    g3 = plan("when a webhook is called summarise it and email me").workflow
    v1 = workflows.save_version(session, chat=chat, graph=g1, source="ai")
    v2 = workflows.save_version(session, chat=chat, graph=g2, source="ai")

    def current():
        return workflows.current_version(session, user_id=user.id, chat_id=chat.id)

    assert current().id == v2.id
    assert workflows.step(session, user_id=user.id, chat_id=chat.id, direction="back").id == v1.id
    with pytest.raises(Invalid, match="Nothing to undo"):
        workflows.step(session, user_id=user.id, chat_id=chat.id, direction="back")
    assert workflows.step(session, user_id=user.id, chat_id=chat.id, direction="forward").id == v2.id
    with pytest.raises(Invalid, match="Nothing to redo"):
        workflows.step(session, user_id=user.id, chat_id=chat.id, direction="forward")

    # A change after an undo branches from the version shown; redo then follows the new branch.
    workflows.step(session, user_id=user.id, chat_id=chat.id, direction="back")
    v3 = workflows.save_version(session, chat=chat, graph=g3, source="ai")
    assert v3.parent_id == v1.id
    workflows.step(session, user_id=user.id, chat_id=chat.id, direction="back")
    assert workflows.step(session, user_id=user.id, chat_id=chat.id, direction="forward").id == v3.id

    restored = workflows.restore(session, user_id=user.id, chat_id=chat.id, version_id=v2.id)
    assert restored.number == 4 and restored.source == "restore" and restored.graph == v2.graph
    assert [v.number for v in workflows.list_versions(session, user_id=user.id, chat_id=chat.id)] == [4, 3, 2, 1]
    with pytest.raises(NotFound):
        workflows.restore(session, user_id=other.id, chat_id=chat.id, version_id=v2.id)
    with pytest.raises(NotFound):
        workflows.step(session, user_id=other.id, chat_id=chat.id, direction="back")
    assert current().id == restored.id
