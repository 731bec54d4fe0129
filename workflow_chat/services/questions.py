"""The user's side of a turn: store the question, in a new chat when none is open yet.

The question is committed before the model is asked (services/turns.py), so it survives any
failure of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from workflow_chat.db import session_scope
from workflow_chat.services import rate_limits
from workflow_chat.services.chats import ChatSummary, create_chat
from workflow_chat.services.messages import add_user_message, check_message_text


@dataclass(frozen=True)
class Question:
    """What was stored: the message, and its chat as the chat list shows it now (the first
    question names the chat; every question moves it to the top)."""

    message_id: int
    content: str
    chat: ChatSummary


def ask(
    session: Session, *, user_id: int, chat_id: int, content: str,
    project_id: int | None = None, ip: str | None = None,
) -> Question:
    """Store the user's message in `chat_id`, or in a new chat of `project_id` (the default
    project when None) when `chat_id` is 0. Raises Invalid (empty or oversized text), NotFound
    (someone else's chat or project) or RateLimited (services/rate_limits). A refused question
    changes nothing once the caller's transaction rolls back: no empty chat is left behind."""
    text = check_message_text(content)  # an empty or oversized message does not count
    if not chat_id:
        chat_id = create_chat(session, user_id=user_id, project_id=project_id).id  # type: ignore[assignment]
    rate_limits.check_message(user_id=user_id, ip=ip)
    message = add_user_message(session, user_id=user_id, chat_id=chat_id, content=text)
    return Question(message_id=message.id, content=message.content, chat=message.chat.summary)


def record_question(*, user_id: int, chat_id: int, content: str, ip: str | None = None) -> int:
    """`ask` in a transaction of its own, in an existing chat; returns the message id."""
    with session_scope() as session:
        return ask(session, user_id=user_id, chat_id=chat_id, content=content, ip=ip).message_id
