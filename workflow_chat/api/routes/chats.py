"""/chats: list (newest activity first, paginated, by project), create, read, rename or move to
another project, delete."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from fastapi import APIRouter, Response

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ChatId, ProjectFilter
from workflow_chat.api.schemas_chats import ChatCreate, ChatPublic, ChatUpdate
from workflow_chat.api.schemas_common import Page
from workflow_chat.db import session_scope
from workflow_chat.services import chats, projects

router = APIRouter(prefix="/chats", tags=["chats"])


@router.get("", response_model=Page[ChatPublic], responses=errors(400, 401, 404, 422))
def list_chats(user: CurrentUser, paging: Paging,
               project_id: ProjectFilter = None) -> Page[ChatPublic]:
    """The user's chats, most recent activity first; `project_id` keeps one project's (404
    when it is not the user's)."""
    if project_id is not None:
        with session_scope() as session:
            projects.owned_project(session, user_id=user.id, project_id=project_id)  # type: ignore[arg-type]
    rows = partial(chats.list_chats, user_id=user.id, project_id=project_id)
    return paging.keyset(ChatPublic, rows, lambda c: (c.updated_at, c.id), datetime, int)


@router.post("", status_code=201, response_model=ChatPublic, responses=errors(400, 401, 404, 422))
def create_chat(body: ChatCreate, user: CurrentUser, ip: ClientIP) -> ChatPublic:
    """A new chat in `project_id` (404 unless it is the user's) or the default project."""
    with session_scope() as session:
        chat = chats.create_chat(session, user_id=user.id, title=body.title,  # type: ignore[arg-type]
                                 project_id=body.project_id, ip=ip)
        return ChatPublic.model_validate(chat)


@router.get("/{chat_id}", response_model=ChatPublic, responses=errors(401, 404, 422))
def get_chat(chat_id: ChatId, user: CurrentUser) -> ChatPublic:
    with session_scope() as session:
        return ChatPublic.model_validate(chats.owned_chat(session, user_id=user.id, chat_id=chat_id))  # type: ignore[arg-type]


@router.patch("/{chat_id}", response_model=ChatPublic, responses=errors(400, 401, 404, 422))
def update_chat(chat_id: ChatId, body: ChatUpdate, user: CurrentUser, ip: ClientIP) -> ChatPublic:
    """Rename the chat and/or move it into another project; both or neither happen."""
    user_id: int = user.id  # type: ignore[assignment]
    with session_scope() as session:
        chat = chats.owned_chat(session, user_id=user_id, chat_id=chat_id)
        if body.project_id is not None:
            chat = chats.move_chat(session, user_id=user_id, chat_id=chat_id,
                                   project_id=body.project_id, ip=ip)
        if body.title is not None:
            chat = chats.rename_chat(session, user_id=user_id, chat_id=chat_id, title=body.title)
        return ChatPublic.model_validate(chat)


@router.delete("/{chat_id}", status_code=204, response_class=Response, responses=errors(401, 404, 422))
def delete_chat(chat_id: ChatId, user: CurrentUser, ip: ClientIP) -> Response:
    """Delete the chat with its messages, versions and runs."""
    with session_scope() as session:
        chats.delete_chat(session, user_id=user.id, chat_id=chat_id, ip=ip)  # type: ignore[arg-type]
    return Response(status_code=204)
