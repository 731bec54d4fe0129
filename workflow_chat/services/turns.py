"""The assistant's side of a chat turn: ask the model (outside any transaction), store the answer.

The user's message (services/questions.py) is committed before the model is asked, so it
survives any failure; a failed or stopped answer is stored as an error notice that a retry
replaces. A follow-up edits the current graph (a patch), so what the user arranged by hand
survives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from workflow_chat.db import session_scope
from workflow_chat.graph import GraphInvalid, Workflow
from workflow_chat.graph.changes import ChangeSet, describe_changes, diff_workflows
from workflow_chat.llm.generate import AssistantReply, generate_reply
from workflow_chat.llm.provider import LLMError
from workflow_chat.llm.settings import LLMSettings
from workflow_chat.services import user_settings
from workflow_chat.services.chats import ChatSummary, owned_chat
from workflow_chat.services.errors import ServiceError
from workflow_chat.services.messages import (
    add_assistant_message,
    delete_failed_replies,
    history_for_model,
    link_version,
)
from workflow_chat.services.prompts import active_prompt_text
from workflow_chat.services.workflows import VersionView, current_graph, save_version, view_of

log = logging.getLogger(__name__)
Generator = Callable[..., Awaitable[AssistantReply]]
TextSink = Callable[[str], Any]
T = TypeVar("T")
STOPPED = "You stopped this answer. Your message is kept: press Retry to ask again."


@dataclass(frozen=True)
class TurnResult:
    """What the turn stored. `content`, `status`, `chat` (as the chat list shows it now) and
    `version` (with its `graph`) let a caller show the answer without reading the chat back."""

    ok: bool
    message_id: int
    version_id: int | None
    source: str | None = None
    touched: tuple[str, ...] = ()
    content: str = ""
    status: str = "error"
    chat: ChatSummary | None = None
    version: VersionView | None = None
    graph: dict[str, Any] | None = None


async def answer(
    *,
    user_id: int,
    chat_id: int,
    generate: Generator = generate_reply,
    on_text: TextSink | None = None,
) -> TurnResult:
    """Ask the model about the chat so far and store its reply (or a clear error notice).

    Cancelling the task (the Stop button) stores a notice instead of an answer. The database
    work runs in a thread, so a server answering many chats keeps its event loop free.
    """
    try:
        context = await _in_thread(_read_context, user_id=user_id, chat_id=chat_id)
    except asyncio.CancelledError:
        return await _in_thread(_store_failure, user_id=user_id, chat_id=chat_id, text=STOPPED)
    if context.settings_error is not None:
        return await _in_thread(_store_failure, user_id=user_id, chat_id=chat_id,
                                text=context.settings_error)
    chosen = {"settings": context.own_model} if context.own_model is not None else {}
    try:
        reply = await generate(context.history, current=context.current, on_text=on_text,
                               instructions=context.instructions, **chosen)
    except asyncio.CancelledError:
        return await _in_thread(_store_failure, user_id=user_id, chat_id=chat_id, text=STOPPED)
    except LLMError as exc:
        return await _in_thread(_store_failure, user_id=user_id, chat_id=chat_id, text=str(exc))
    except Exception:  # a bug must not lose the turn; the user gets a retry
        log.exception("generation failed for chat %s", chat_id)
        return await _in_thread(_store_failure, user_id=user_id, chat_id=chat_id,
                                text="Something went wrong while answering.")
    return await _in_thread(_store_reply, user_id=user_id, chat_id=chat_id, reply=reply,
                            current=context.current)


@dataclass(frozen=True)
class _Context:
    history: list[dict[str, str]]
    current: Workflow | None
    instructions: str | None
    own_model: LLMSettings | None = None
    settings_error: str | None = None


def _read_context(*, user_id: int, chat_id: int) -> _Context:
    """What the model is asked with, read in one transaction (one ownership check)."""
    with session_scope() as session:
        # Held, so the ownership checks below are answered by the session, not the database.
        chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
        delete_failed_replies(session, user_id=user_id, chat_id=chat_id)
        history = history_for_model(session, user_id=user_id, chat_id=chat_id)
        graph = current_graph(session, chat=chat)
        current = Workflow.model_validate(graph) if graph is not None else None
        instructions = active_prompt_text(session, user_id=user_id, chat_id=chat_id)
        try:
            # The model the user chose in Settings (their key, from the vault); None: the server's.
            own_model = user_settings.llm_settings_for(session, user_id=user_id)
        except ServiceError as exc:  # an unreadable key: the turn fails, the clean-up stays
            return _Context(history, current, instructions, settings_error=str(exc))
        return _Context(history, current, instructions, own_model=own_model)


async def _in_thread(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """`fn` in a worker thread. A cancel (Stop) waits for the thread to finish before it is
    raised, so whatever is stored next (the stop notice) comes after it, as when it ran inline."""
    work = asyncio.ensure_future(asyncio.to_thread(fn, **kwargs))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait({work})
        if not work.cancelled():
            work.exception()  # seen here: the cancel is what the caller handles
        raise


def _changes(reply: AssistantReply, current: Workflow | None) -> ChangeSet | None:
    if reply.workflow is None or current is None:
        return None
    return reply.result.changes if reply.result is not None else diff_workflows(current, reply.workflow)


def _store_reply(
    *, user_id: int, chat_id: int, reply: AssistantReply, current: Workflow | None
) -> TurnResult:
    changes = _changes(reply, current)
    text = reply.text
    if changes is not None and current is not None and reply.workflow is not None:
        if changes.is_empty:
            reply = replace(reply, workflow=None)  # nothing changed: no new version
        else:
            text = f"{text}\n\n{describe_changes(current, reply.workflow, changes)}"
    with session_scope() as session:
        message = add_assistant_message(
            session, user_id=user_id, chat_id=chat_id, content=text,
            workflow=reply.workflow.to_json() if reply.workflow else None,
            status="offline" if reply.source == "offline" else "ok",
        )
        version = None
        if reply.workflow is not None:
            try:
                version = save_version(session, chat=message.chat, graph=reply.workflow,
                                       source="ai", message_id=message.id)
            except GraphInvalid as exc:  # generate validates; this guards the database anyway
                session.rollback()
                return _store_failure(user_id=user_id, chat_id=chat_id, text=str(exc))
            link_version(session, message_id=message.id, version_id=version.id)  # type: ignore[arg-type]
        touched = tuple(changes.touched) if changes is not None else ()
        return TurnResult(ok=True, message_id=message.id,
                          version_id=version.id if version else None, source=reply.source,
                          touched=touched, content=message.content, status=message.status,
                          chat=message.chat.summary, version=view_of(version) if version else None,
                          graph=version.graph if version else None)


def _store_failure(*, user_id: int, chat_id: int, text: str) -> TurnResult:
    with session_scope() as session:
        message = add_assistant_message(
            session, user_id=user_id, chat_id=chat_id, content=text, status="error"
        )
        return TurnResult(ok=False, message_id=message.id, version_id=None,
                          content=message.content, status=message.status, chat=message.chat.summary)
