"""/chats/{id}/messages: read the conversation, and send a message, which stores it, has the
assistant answer (the model, or the offline planner without an LLM key) and saves the graph
it proposes, through services/turns.py exactly as the chat page does."""

from __future__ import annotations

import asyncio
from functools import partial

from fastapi import APIRouter

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ChatId
from workflow_chat.api.schemas_chats import MessageCreate, MessagePublic, TurnPublic, VersionDetail
from workflow_chat.api.schemas_common import Page
from workflow_chat.db import session_scope
from workflow_chat.services import messages, questions, turns, workflows

router = APIRouter(prefix="/chats/{chat_id}/messages", tags=["messages"])


@router.get("", response_model=Page[MessagePublic], responses=errors(400, 401, 404, 422))
def list_messages(chat_id: ChatId, user: CurrentUser, paging: Paging) -> Page[MessagePublic]:
    """The chat's messages, newest first."""
    rows = partial(messages.list_messages, user_id=user.id, chat_id=chat_id)
    return paging.keyset(MessagePublic, rows, lambda m: (m.id,), int, before="before_id",
                         oldest_first=True)


@router.post("", status_code=201, response_model=TurnPublic,
             responses=errors(400, 401, 404, 422, 429))
async def send_message(chat_id: ChatId, body: MessageCreate, user: CurrentUser,
                       ip: ClientIP) -> TurnPublic:
    """Store the message and answer it; the reply may carry a new workflow version. A failed
    answer is stored with status error (`ok` false) and the next message retries."""
    user_id: int = user.id  # type: ignore[assignment]
    question_id = await asyncio.to_thread(questions.record_question, user_id=user_id,
                                          chat_id=chat_id, content=body.content, ip=ip)
    result = await turns.answer(user_id=user_id, chat_id=chat_id)
    return await asyncio.to_thread(_turn, user_id, chat_id, question_id, result)


def _turn(user_id: int, chat_id: int, question_id: int, result: turns.TurnResult) -> TurnPublic:
    with session_scope() as session:
        question = messages.get_message(session, user_id=user_id, chat_id=chat_id, message_id=question_id)
        answer = messages.get_message(session, user_id=user_id, chat_id=chat_id,
                                      message_id=result.message_id)
        version = None
        if result.version_id is not None:
            version = VersionDetail.model_validate(workflows.get_version(
                session, user_id=user_id, chat_id=chat_id, version_id=result.version_id))
        return TurnPublic(ok=result.ok, question=MessagePublic.model_validate(question),
                          answer=MessagePublic.model_validate(answer), version=version)
