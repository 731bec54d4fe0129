"""/chats/{id}/versions and /chats/{id}/workflow: the saved graphs of a chat and the current one."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from workflow_chat.api.auth import CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ChatId, VersionId
from workflow_chat.api.schemas_chats import VersionDetail, VersionPublic
from workflow_chat.api.schemas_common import Page
from workflow_chat.db import session_scope
from workflow_chat.services import workflows
from workflow_chat.services.errors import NotFound

router = APIRouter(prefix="/chats/{chat_id}", tags=["workflow versions"])


@router.get("/versions", response_model=Page[VersionPublic], responses=errors(400, 401, 404, 422))
def list_versions(chat_id: ChatId, user: CurrentUser, paging: Paging) -> Page[VersionPublic]:
    """Every saved version, newest first (graphs left out: read one version for its graph)."""
    rows = partial(workflows.list_versions, user_id=user.id, chat_id=chat_id)
    return paging.keyset(VersionPublic, rows, lambda v: (v.number,), int, before="before_number")


@router.get("/versions/{version_id}", response_model=VersionDetail, responses=errors(401, 404, 422))
def get_version(chat_id: ChatId, version_id: VersionId, user: CurrentUser) -> VersionDetail:
    with session_scope() as session:
        return VersionDetail.model_validate(workflows.get_version(
            session, user_id=user.id, chat_id=chat_id, version_id=version_id))  # type: ignore[arg-type]


@router.get("/workflow", response_model=VersionDetail, responses=errors(401, 404, 422))
def current_workflow(chat_id: ChatId, user: CurrentUser) -> VersionDetail:
    """The version the chat shows and edits now (after undo/redo, not always the newest);
    404 before the assistant has drawn a first graph."""
    with session_scope() as session:
        version = workflows.current_version(session, user_id=user.id, chat_id=chat_id)  # type: ignore[arg-type]
        if version is None:
            raise NotFound("This chat has no workflow yet: send a message describing one.")
        return VersionDetail.model_validate(version)
