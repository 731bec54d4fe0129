"""Workspace behaviour that outlives a browser tab: lost answers, stale 'sending' flags."""

from __future__ import annotations

import time

import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.services import chats, messages
from workflow_chat.state.workspace import WorkspaceState


def _state(token: str) -> WorkspaceState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(WorkspaceState.get_full_name().split(".")[1:])
    state.token = token
    return state


def test_a_question_whose_answer_was_lost_offers_a_retry_after_reload(database_url):
    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id)
        messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="hello?")
        user_id, name = user.id, user.username
    state = _state(issue_token(user_id))
    state.username = name
    # The server restarted mid-answer long ago: the flag is stale and must not block the chat.
    state.sending, state._sending_since = True, time.time() - 3600
    WorkspaceState.load.fn(state)
    assert state.sending is False
    assert state.unanswered is True


def test_a_fresh_answer_in_flight_is_left_alone(database_url):
    with session_scope() as session:
        user = make_user(session)
        user_id, name = user.id, user.username
    state = _state(issue_token(user_id))
    state.username = name  # the same account as before the reload
    state.sending, state._sending_since = True, time.time()
    WorkspaceState.load.fn(state)
    assert state.sending is True and state.unanswered is False
