"""The Reflex handlers themselves, called with another user's ids: nothing leaks, nothing changes.

The handlers run on a real state object (as the framework builds it) over a real database; the
only thing skipped is the websocket that would normally deliver the event.
"""

from __future__ import annotations

import asyncio


import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from workflow_chat.auth.tokens import issue_token
from workflow_chat.components.chat_list import ChatListState
from workflow_chat.components.version_bar import VersionsState
from workflow_chat.state.conversation import ConversationState
from workflow_chat.db import session_scope
from workflow_chat.llm.offline import plan
from workflow_chat.services import chats, messages, workflows


def _state(token: str, cls=ChatListState):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.token = token
    return state


def _redirects_to_login(result) -> bool:
    return "/login" in repr(result)


@pytest.fixture
def two_users(database_url):
    with session_scope() as session:
        alice, bob = make_user(session, "alice"), make_user(session, "bob")
        bobs_chat = chats.create_chat(session, user_id=bob.id, title="Bob's payroll")
        messages.add_user_message(session, user_id=bob.id, chat_id=bobs_chat.id,
                                  content="bob's secret request")
        workflows.save_version(session, chat=bobs_chat, source="ai",
                               graph=plan("fetch https://bob.example/pay and email me").workflow)
        alices_chat = chats.create_chat(session, user_id=alice.id, title="Alice's chat")
        return alice.id, bob.id, bobs_chat.id, alices_chat.id


def _bobs_chat_untouched(bob_id: int, chat_id: int) -> None:
    with session_scope() as session:
        listed = chats.list_chats(session, user_id=bob_id)
        assert [(c.id, c.title) for c in listed] == [(chat_id, "Bob's payroll")]
        shown = messages.list_messages(session, user_id=bob_id, chat_id=chat_id)
        assert [m.content for m in shown] == ["bob's secret request"]
        version = workflows.current_version(session, user_id=bob_id, chat_id=chat_id)
        assert all(n["position"] == {"x": 0, "y": 0} for n in version.graph["nodes"])
        assert len(workflows.list_versions(session, user_id=bob_id, chat_id=chat_id)) == 1


def test_alice_cannot_open_bobs_chat_by_id(two_users):
    alice, bob, bobs_chat, alices_chat = two_users
    state = _state(issue_token(alice))
    ChatListState.load.fn(state)
    assert [c.id for c in state.chats] == [alices_chat]
    ChatListState.select_chat.fn(state, bobs_chat)
    assert state.current_chat_id == alices_chat
    assert state.messages == [] and state.nodes == []
    assert all("secret" not in m.content for m in state.messages)


def test_alice_cannot_rename_delete_or_move_bobs_chat(two_users):
    alice, bob, bobs_chat, _ = two_users
    state = _state(issue_token(alice))
    ChatListState.start_rename.fn(state, bobs_chat, "pwned")
    ChatListState.finish_rename.fn(state)
    ChatListState.ask_delete.fn(state, bobs_chat, "Bob's payroll")
    ChatListState.confirm_delete.fn(state)
    ChatListState.load.fn(state)
    alices_project = state.chats[0].project_id
    with session_scope() as session:
        bobs_project = chats.owned_chat(session, user_id=bob, chat_id=bobs_chat).project_id
    assert "does not exist" in repr(ChatListState.move_chat.fn(state, bobs_chat, alices_project))
    assert "does not exist" in repr(ChatListState.move_chat.fn(state, state.chats[0].id, bobs_project))
    assert state.chats[0].project_id == alices_project
    with session_scope() as session:
        assert chats.owned_chat(session, user_id=bob, chat_id=bobs_chat).project_id == bobs_project
    # Even a state that somehow points at Bob's chat cannot write to it.
    state.current_chat_id = bobs_chat
    ChatListState.save_positions.fn(state, [{"id": "fetch", "x": 5, "y": 5}])
    conversation = _state(issue_token(alice), ConversationState)
    conversation.current_chat_id = bobs_chat
    asyncio.run(ConversationState.start_turn.fn(conversation, {"message": "append to bob's chat"}))
    versions = _state(issue_token(alice), VersionsState)
    versions.current_chat_id = bobs_chat
    VersionsState.undo.fn(versions)
    VersionsState.preview.fn(versions, 1)
    VersionsState.restore_preview.fn(versions)
    assert versions.nodes == []
    _bobs_chat_untouched(bob, bobs_chat)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "forged"])
def test_without_a_valid_token_every_handler_redirects(two_users, token):
    alice, bob, bobs_chat, _ = two_users
    if token == "forged":
        import jwt

        token = jwt.encode({"sub": str(bob), "exp": 9999999999}, "a-guessed-secret-that-is-long-enough-1234", algorithm="HS256")
    state = _state(token)
    assert _redirects_to_login(ChatListState.load.fn(state))
    assert _redirects_to_login(ChatListState.select_chat.fn(state, bobs_chat))
    assert _redirects_to_login(ChatListState.new_chat.fn(state))
    conversation = _state(token, ConversationState)
    assert _redirects_to_login(asyncio.run(ConversationState.start_turn.fn(conversation, {"message": "hi"})))
    ChatListState.ask_delete.fn(state, bobs_chat, "x")
    assert _redirects_to_login(ChatListState.confirm_delete.fn(state))
    assert _redirects_to_login(ChatListState.move_chat.fn(state, bobs_chat, 1))
    assert state.chats == [] and state.messages == []
    _bobs_chat_untouched(bob, bobs_chat)


def test_owner_sees_own_chat(two_users):
    alice, bob, bobs_chat, _ = two_users
    state = _state(issue_token(bob))
    ChatListState.load.fn(state)
    assert state.current_chat_id == bobs_chat
    assert [m.content for m in state.messages] == ["bob's secret request"]
    assert len(state.nodes) >= 3 and state.layout_nonce == 1


def test_a_turn_sent_by_a_button_keeps_the_users_draft(two_users):
    alice, _, _, alices_chat = two_users
    conversation = _state(issue_token(alice), ConversationState)
    conversation.current_chat_id = alices_chat
    typed = asyncio.run(ConversationState.start_turn.fn(conversation, {"message": "make it hourly"}))
    conversation.sending = False
    by_button = asyncio.run(ConversationState.start_turn.fn(conversation, {"message": "fix it", "keep_draft": True}))
    assert "composer" in repr(typed)  # the composer is cleared after a typed message is stored
    assert "composer" not in repr(by_button)  # but not after "Ask the assistant to fix this"
