"""One chat turn: store the question, ask the model (outside any transaction), store the answer.

The user's message is committed before the model is asked, so it survives any failure; a failed
answer is stored as an error notice that a retry replaces.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from workflow_chat.db import session_scope
from workflow_chat.graph import GraphInvalid
from workflow_chat.llm.generate import AssistantReply, generate_reply
from workflow_chat.llm.provider import LLMError
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.messages import (
    add_assistant_message,
    add_user_message,
    delete_failed_replies,
    history_for_model,
)
from workflow_chat.services.workflows import save_version

log = logging.getLogger(__name__)
Generator = Callable[[list[dict[str, str]]], Awaitable[AssistantReply]]


@dataclass(frozen=True)
class TurnResult:
    ok: bool
    message_id: int
    version_id: int | None
    source: str | None = None


def record_question(*, user_id: int, chat_id: int, content: str) -> int:
    """Store the user's message (validated); returns its id. Raises Invalid/NotFound."""
    with session_scope() as session:
        return add_user_message(session, user_id=user_id, chat_id=chat_id, content=content).id  # type: ignore[return-value]


async def answer(
    *, user_id: int, chat_id: int, generate: Generator = generate_reply
) -> TurnResult:
    """Ask the model about the chat so far and store its reply (or a clear error notice)."""
    with session_scope() as session:
        delete_failed_replies(session, user_id=user_id, chat_id=chat_id)
        history = history_for_model(session, user_id=user_id, chat_id=chat_id)
    try:
        reply = await generate(history)
    except LLMError as exc:
        return _store_failure(user_id=user_id, chat_id=chat_id, text=str(exc))
    except Exception:  # a bug must not lose the turn; the user gets a retry
        log.exception("generation failed for chat %s", chat_id)
        return _store_failure(
            user_id=user_id, chat_id=chat_id, text="Something went wrong while answering."
        )
    with session_scope() as session:
        chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
        workflow = reply.workflow.to_json() if reply.workflow else None
        message = add_assistant_message(
            session, user_id=user_id, chat_id=chat_id, content=reply.text, workflow=workflow,
            status="offline" if reply.source == "offline" else "ok",
        )
        version_id = None
        if reply.workflow is not None:
            try:
                version = save_version(
                    session, chat=chat, graph=reply.workflow, source="ai", message_id=message.id
                )
            except GraphInvalid as exc:  # generate validates; this guards the database anyway
                session.rollback()
                return _store_failure(user_id=user_id, chat_id=chat_id, text=str(exc))
            message.workflow_version_id = version_id = version.id
            session.add(message)
        return TurnResult(ok=True, message_id=message.id, version_id=version_id, source=reply.source)  # type: ignore[arg-type]


def _store_failure(*, user_id: int, chat_id: int, text: str) -> TurnResult:
    with session_scope() as session:
        message = add_assistant_message(
            session, user_id=user_id, chat_id=chat_id, content=text, status="error"
        )
        return TurnResult(ok=False, message_id=message.id, version_id=None)  # type: ignore[arg-type]
