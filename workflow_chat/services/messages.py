"""Messages of a chat: append, list, and the history sent to the model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.models import Message, utcnow
from workflow_chat.services.chats import TouchedChat, owned_chat, title_from_message, touch_owned
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.services.text_rules import refuse_nul, without_nul

MAX_MESSAGE_CHARS = 8000
HISTORY_LIMIT = 20
MESSAGES = Message.__table__  # type: ignore[attr-defined]
# Prebuilt: each chat turn runs them (see chats._TOUCH).
_INSERT = sa.insert(MESSAGES).returning(MESSAGES.c.id, MESSAGES.c.created_at)
_DELETE_FAILED = sa.delete(MESSAGES).where(MESSAGES.c.chat_id == sa.bindparam("chat_id"),
                                           MESSAGES.c.status == "error")
_HISTORY = (sa.select(MESSAGES.c.role, MESSAGES.c.content)
            .where(MESSAGES.c.chat_id == sa.bindparam("chat_id"), MESSAGES.c.status != "error")
            .order_by(MESSAGES.c.id.desc())
            .limit(HISTORY_LIMIT))
_LINK = (sa.update(MESSAGES).where(MESSAGES.c.id == sa.bindparam("message_id"))
         .values(workflow_version_id=sa.bindparam("version_id")))


@dataclass(frozen=True)
class StoredMessage:
    """A message just added, and its chat as touching it left it (listed first now; the
    version it shows is the parent of one the message goes on to make)."""

    id: int
    content: str
    status: str
    created_at: datetime
    chat: TouchedChat


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


def add_user_message(session: Session, *, user_id: int, chat_id: int, content: str) -> StoredMessage:
    """Store the user's message (Invalid when empty, oversized or holding NUL; NotFound for
    someone else's chat); the chat becomes the most recent and, while still "New chat",
    takes its name from the message."""
    text = check_message_text(content)
    chat = touch_owned(session, user_id=user_id, chat_id=chat_id, title=title_from_message(text))
    return _insert(session, chat=chat, role="user", content=text, status="ok", workflow=None)


def add_assistant_message(
    session: Session,
    *,
    user_id: int,
    chat_id: int,
    content: str,
    status: str = "ok",
    workflow: dict[str, Any] | None = None,
) -> StoredMessage:
    chat = touch_owned(session, user_id=user_id, chat_id=chat_id)
    # Nobody typed a reply: a NUL in it (generated, or echoed from older history) is dropped
    # rather than failing the write on PostgreSQL and losing the answer.
    return _insert(session, chat=chat, role="assistant", content=without_nul(content), status=status,
                   workflow=workflow)


def _insert(session: Session, *, chat: TouchedChat, role: str, content: str, status: str,
            workflow: dict[str, Any] | None) -> StoredMessage:
    created_at = utcnow()
    row = session.connection().execute(_INSERT, {
        "chat_id": chat.id, "role": role, "content": content, "status": status,
        "workflow_data": workflow, "workflow_version_id": None, "created_at": created_at,
    }).one()
    return StoredMessage(id=row.id, content=content, status=status, created_at=created_at, chat=chat)


def link_version(session: Session, *, message_id: int, version_id: int) -> None:
    """Record that the message produced the version (the graph an answer proposed)."""
    session.connection().execute(_LINK, {"message_id": message_id, "version_id": version_id})


def delete_failed_replies(session: Session, *, user_id: int, chat_id: int) -> None:
    """Drop error notices before a retry, so the chat shows one answer per question."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    session.connection().execute(_DELETE_FAILED, {"chat_id": chat_id})


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
    rows = session.connection().execute(_HISTORY, {"chat_id": chat_id}).all()
    return [{"role": role, "content": content} for role, content in reversed(rows)]
