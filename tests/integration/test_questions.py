"""Storing the user's question: in the open chat, or in a new one, in one transaction."""

from __future__ import annotations

import sqlalchemy as sa
import pytest

from tests.support.accounts import make_user
from workflow_chat.db import get_engine, session_scope
from workflow_chat.services import chats, messages, questions
from workflow_chat.services.errors import Invalid, NotFound, RateLimited


def _user() -> int:
    with session_scope() as session:
        return make_user(session).id  # type: ignore[return-value]


def _chat_count(user_id: int) -> int:
    with session_scope() as session:
        return len(chats.list_chats(session, user_id=user_id))


def test_a_first_question_makes_its_chat_named_after_it(database_url):
    user_id = _user()
    with session_scope() as session:
        asked = questions.ask(session, user_id=user_id, chat_id=0,
                              content="  every hour fetch https://example.com\nand more  ")
    with session_scope() as session:
        listed = chats.list_chats(session, user_id=user_id)
        stored = messages.list_messages(session, user_id=user_id, chat_id=asked.chat.id)
    assert [c.id for c in listed] == [asked.chat.id]
    # What the chat list shows after a read is what `ask` reported.
    assert listed[0] == asked.chat and asked.chat.title == "every hour fetch https://example.com"
    assert [(m.id, m.content) for m in stored] == [
        (asked.message_id, "every hour fetch https://example.com\nand more")]
    assert asked.content == stored[0].content


def test_a_next_question_moves_its_chat_to_the_top_and_keeps_the_title(database_url):
    user_id = _user()
    with session_scope() as session:
        first = questions.ask(session, user_id=user_id, chat_id=0, content="first chat")
        questions.ask(session, user_id=user_id, chat_id=0, content="second chat")
    with session_scope() as session:
        again = questions.ask(session, user_id=user_id, chat_id=first.chat.id, content="one more")
    with session_scope() as session:
        listed = chats.list_chats(session, user_id=user_id)
    assert listed[0] == again.chat and again.chat.title == "first chat"


@pytest.mark.parametrize("refused", ["", "   ", "x" * 100_000, "nul \x00 byte"])
def test_a_refused_first_question_leaves_no_empty_chat(database_url, refused):
    user_id = _user()
    with pytest.raises(Invalid), session_scope() as session:
        questions.ask(session, user_id=user_id, chat_id=0, content=refused)
    assert _chat_count(user_id) == 0


def test_a_first_question_over_the_rate_limit_leaves_no_chat(database_url, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "1/minute")
    user_id = _user()
    questions.record_question(user_id=user_id, chat_id=_new_chat(user_id), content="one")
    before = _chat_count(user_id)
    with pytest.raises(RateLimited), session_scope() as session:
        questions.ask(session, user_id=user_id, chat_id=0, content="two")
    assert _chat_count(user_id) == before


def test_someone_elses_chat_is_not_found_and_gets_nothing(database_url):
    owner, stranger = _user(), _user()
    chat_id = _new_chat(owner)
    with pytest.raises(NotFound), session_scope() as session:
        questions.ask(session, user_id=stranger, chat_id=chat_id, content="hello")
    with session_scope() as session:
        assert messages.list_messages(session, user_id=owner, chat_id=chat_id) == []


def test_a_question_costs_two_statements(database_url):
    """One UPDATE checks the owner, names and touches the chat; one INSERT stores the message."""
    user_id = _user()
    chat_id = _new_chat(user_id)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement.split()[0].upper())

    sa.event.listen(get_engine(), "before_cursor_execute", count)
    try:
        with session_scope() as session:
            questions.ask(session, user_id=user_id, chat_id=chat_id, content="hello")
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", count)
    assert seen == ["UPDATE", "INSERT"], seen


def _new_chat(user_id: int) -> int:
    with session_scope() as session:
        return chats.create_chat(session, user_id=user_id).id  # type: ignore[return-value]
