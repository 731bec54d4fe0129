"""Messages of a chat: append, list, and the history sent to the model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.models import Message
from workflow_chat.services.chats import owned_chat, title_from_message, touch
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.services.text_rules import refuse_nul, without_nul

MAX_MESSAGE_CHARS = 8000
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class MessageView:
    id: int
    role: str
    content: str
    status: str
    has_workflow: bool
    workflow_version_id: int | None
    created_at: datetime


def check_message_text(content: str) -> str:
    """The text to store, or Invalid with a sentence for the user."""
    text = refuse_nul(content.strip(), what="A message")
    if not text:
        raise Invalid("Type a message first.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise Invalid(
            f"That message is too long ({len(text):,} characters; the limit is "
            f"{MAX_MESSAGE_CHARS:,}). Shorten it or split it into steps."
        )
    return text


def add_user_message(session: Session, *, user_id: int, chat_id: int, content: str) -> Message:
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    text = check_message_text(content)
    if chat.title_is_default:
        chat.title, chat.title_is_default = title_from_message(text), False
    touch(chat)
    message = Message(chat_id=chat.id, role="user", content=text)
    session.add_all([chat, message])
    session.flush()
    return message


def add_assistant_message(
    session: Session,
    *,
    user_id: int,
    chat_id: int,
    content: str,
    status: str = "ok",
    workflow: dict[str, Any] | None = None,
) -> Message:
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    touch(chat)
    # Nobody typed a reply: a NUL in it (generated, or echoed from older history) is dropped
    # rather than failing the write on PostgreSQL and losing the answer.
    message = Message(
        chat_id=chat.id, role="assistant", content=without_nul(content), status=status,
        workflow_data=workflow,
    )
    session.add_all([chat, message])
    session.flush()
    return message


def delete_failed_replies(session: Session, *, user_id: int, chat_id: int) -> None:
    """Drop error notices before a retry, so the chat shows one answer per question."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    session.execute(
        sa.delete(Message).where(Message.chat_id == chat_id, Message.status == "error")
    )


def list_messages(
    session: Session, *, user_id: int, chat_id: int, limit: int = 1000,
    before_id: int | None = None,
) -> list[MessageView]:
    """Oldest first; the newest `limit` messages (older than message `before_id` if given)."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    query = select(Message).where(Message.chat_id == chat_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    rows = session.exec(query.order_by(Message.id.desc()).limit(limit)).all()
    return [_view(m) for m in reversed(rows)]


def get_message(session: Session, *, user_id: int, chat_id: int, message_id: int) -> MessageView:
    """One message of the user's chat; NotFound otherwise."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    message = session.get(Message, message_id)
    if message is None or message.chat_id != chat_id:
        raise NotFound("That message does not exist.")
    return _view(message)


def _view(m: Message) -> MessageView:
    return MessageView(
        id=m.id,  # type: ignore[arg-type]
        role=m.role,
        content=m.content,
        status=m.status,
        has_workflow=m.workflow_data is not None,
        workflow_version_id=m.workflow_version_id,
        created_at=m.created_at,
    )


def history_for_model(session: Session, *, user_id: int, chat_id: int) -> list[dict[str, str]]:
    """The recent turns as role/content pairs, without failed replies."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    rows = session.exec(
        select(Message.role, Message.content)
        .where(Message.chat_id == chat_id, Message.status != "error")
        .order_by(Message.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return [{"role": role, "content": content} for role, content in reversed(rows)]
