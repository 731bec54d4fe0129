"""/projects: folders of chats with their own system prompts. List, create, read, rename,
delete (with its chats: the DELETE is the confirmation)."""

from __future__ import annotations

from fastapi import APIRouter

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ProjectId
from workflow_chat.api.schemas_common import Page
from workflow_chat.api.schemas_projects import ProjectCreate, ProjectDeleted, ProjectPublic, ProjectUpdate
from workflow_chat.db import session_scope
from workflow_chat.services import projects

router = APIRouter(prefix="/projects", tags=["projects"])


def _order(project: projects.ProjectSummary) -> tuple[int, str, int]:
    # The default project first, then by name: the order the app's project picker shows.
    return (0 if project.is_default else 1, project.name.casefold(), project.id)


@router.get("", response_model=Page[ProjectPublic], responses=errors(400, 401, 422))
def list_projects(user: CurrentUser, paging: Paging) -> Page[ProjectPublic]:
    """The user's projects, the default one first, then by name."""
    with session_scope() as session:
        rows = projects.list_projects(session, user_id=user.id)  # type: ignore[arg-type]
    return paging.whole(ProjectPublic, rows, _order, int, str, int)


@router.post("", status_code=201, response_model=ProjectPublic, responses=errors(400, 401, 409, 422))
def create_project(body: ProjectCreate, user: CurrentUser, ip: ClientIP) -> ProjectPublic:
    """409 when the user already has a project by that name (case-insensitive)."""
    with session_scope() as session:
        project = projects.create_project(session, user_id=user.id, name=body.name, ip=ip)  # type: ignore[arg-type]
    return ProjectPublic.model_validate(project)


@router.get("/{project_id}", response_model=ProjectPublic, responses=errors(401, 404, 422))
def get_project(project_id: ProjectId, user: CurrentUser) -> ProjectPublic:
    with session_scope() as session:
        return ProjectPublic.model_validate(
            projects.get_project(session, user_id=user.id, project_id=project_id))  # type: ignore[arg-type]


@router.patch("/{project_id}", response_model=ProjectPublic, responses=errors(400, 401, 404, 409, 422))
def rename_project(project_id: ProjectId, body: ProjectUpdate, user: CurrentUser) -> ProjectPublic:
    with session_scope() as session:
        project = projects.rename_project(session, user_id=user.id, project_id=project_id,  # type: ignore[arg-type]
                                          name=body.name)
    return ProjectPublic.model_validate(project)


@router.delete("/{project_id}", response_model=ProjectDeleted, responses=errors(401, 404, 422))
def delete_project(project_id: ProjectId, user: CurrentUser, ip: ClientIP) -> ProjectDeleted:
    """Delete the project with its prompts and all its chats (their messages, versions and
    runs). 422 for the default project, which cannot be deleted."""
    with session_scope() as session:
        count = projects.delete_project(session, user_id=user.id, project_id=project_id, ip=ip)  # type: ignore[arg-type]
    return ProjectDeleted(deleted_chats=count)
