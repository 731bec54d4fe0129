"""System prompts of a project: list, create, read, update, delete, and choose the active one
(its text goes to the model in every turn of the project's chats)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from workflow_chat.api.auth import CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ProjectId, PromptId
from workflow_chat.api.schemas_common import Page
from workflow_chat.api.schemas_projects import PromptCreate, PromptPublic, PromptUpdate
from workflow_chat.db import session_scope
from workflow_chat.services import prompts

router = APIRouter(tags=["prompts"])


@router.get("/projects/{project_id}/prompts", response_model=Page[PromptPublic],
            responses=errors(400, 401, 404, 422))
def list_prompts(project_id: ProjectId, user: CurrentUser, paging: Paging) -> Page[PromptPublic]:
    """The project's prompts by name."""
    with session_scope() as session:
        rows = prompts.list_prompts(session, user_id=user.id, project_id=project_id)  # type: ignore[arg-type]
    return paging.whole(PromptPublic, rows, lambda p: (p.name.casefold(), p.id), str, int)


@router.post("/projects/{project_id}/prompts", status_code=201, response_model=PromptPublic,
             responses=errors(400, 401, 404, 409, 422))
def create_prompt(project_id: ProjectId, body: PromptCreate, user: CurrentUser) -> PromptPublic:
    """409 when the project has a prompt by that name; `active` makes it the active one."""
    with session_scope() as session:
        prompt = prompts.create_prompt(session, user_id=user.id, project_id=project_id,  # type: ignore[arg-type]
                                       name=body.name, text=body.text, active=body.active)
    return PromptPublic.model_validate(prompt)


@router.delete("/projects/{project_id}/active-prompt", status_code=204, response_class=Response,
               responses=errors(401, 404, 422))
def clear_active_prompt(project_id: ProjectId, user: CurrentUser) -> Response:
    """Leave the project with no active prompt (the prompts stay)."""
    with session_scope() as session:
        prompts.clear_active_prompt(session, user_id=user.id, project_id=project_id)  # type: ignore[arg-type]
    return Response(status_code=204)


@router.get("/prompts/{prompt_id}", response_model=PromptPublic, responses=errors(401, 404, 422))
def get_prompt(prompt_id: PromptId, user: CurrentUser) -> PromptPublic:
    with session_scope() as session:
        return PromptPublic.model_validate(
            prompts.get_prompt(session, user_id=user.id, prompt_id=prompt_id))  # type: ignore[arg-type]


@router.patch("/prompts/{prompt_id}", response_model=PromptPublic,
              responses=errors(400, 401, 404, 409, 422))
def update_prompt(prompt_id: PromptId, body: PromptUpdate, user: CurrentUser) -> PromptPublic:
    with session_scope() as session:
        prompt = prompts.update_prompt(session, user_id=user.id, prompt_id=prompt_id,  # type: ignore[arg-type]
                                       name=body.name, text=body.text)
    return PromptPublic.model_validate(prompt)


@router.post("/prompts/{prompt_id}/activate", response_model=PromptPublic,
             responses=errors(401, 404, 422))
def activate_prompt(prompt_id: PromptId, user: CurrentUser) -> PromptPublic:
    """Make this the project's active prompt (the previous one stops being active)."""
    with session_scope() as session:
        prompt = prompts.activate_prompt(session, user_id=user.id, prompt_id=prompt_id)  # type: ignore[arg-type]
    return PromptPublic.model_validate(prompt)


@router.delete("/prompts/{prompt_id}", status_code=204, response_class=Response,
               responses=errors(401, 404, 422))
def delete_prompt(prompt_id: PromptId, user: CurrentUser) -> Response:
    with session_scope() as session:
        prompts.delete_prompt(session, user_id=user.id, prompt_id=prompt_id)  # type: ignore[arg-type]
    return Response(status_code=204)
