"""Projects of one user: folders of chats with their own system prompts (services/prompts.py).

Every user has exactly one default project, made on first need (or by the migration for
accounts that existed before projects); it holds the chats made without a project and cannot be
deleted. Every call filters by the owner: another user's project is NotFound, never Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workflow_chat.models import Chat, Message, Project, SystemPrompt, WorkflowVersion, utcnow
from workflow_chat.services import audit
from workflow_chat.services.errors import Conflict, Invalid, NotFound
from workflow_chat.services.text_rules import refuse_nul

MAX_NAME = 80
MAX_PROJECTS = 100
DEFAULT_NAME = "Default"


@dataclass(frozen=True)
class ProjectSummary:
    id: int
    name: str
    is_default: bool
    chat_count: int
    created_at: datetime
    updated_at: datetime


def owned_project(session: Session, *, user_id: int, project_id: int) -> Project:
    """The project if it belongs to the user; NotFound otherwise (never says which)."""
    project = session.get(Project, project_id) if isinstance(project_id, int) else None
    if project is None or project.user_id != user_id:
        raise NotFound("That project does not exist.")
    return project


def default_project(session: Session, *, user_id: int) -> Project:
    """The user's default project, created (unaudited: nobody asked for it) when missing."""
    found = session.exec(
        select(Project).where(Project.user_id == user_id, Project.is_default == sa.true())
    ).first()
    if found is not None:
        return found
    project = Project(user_id=user_id, name=_free_default_name(session, user_id), is_default=True)
    session.add(project)
    try:
        session.flush()
    except IntegrityError:  # a parallel request made it first; the caller's rollback is enough
        raise Conflict("Your projects were being set up at the same moment: "
                       "please try again.") from None
    return project


def project_id_for_new_chat(session: Session, *, user_id: int, project_id: int | None) -> int:
    """The project a new chat goes into: the given one if the user owns it, else the default."""
    if project_id is None:
        return default_project(session, user_id=user_id).id  # type: ignore[return-value]
    return owned_project(session, user_id=user_id, project_id=project_id).id  # type: ignore[return-value]


def list_projects(session: Session, *, user_id: int) -> list[ProjectSummary]:
    """The user's projects, the default one first, then by name (the default is made if needed)."""
    default_project(session, user_id=user_id)
    counts = (
        select(Chat.project_id, sa.func.count().label("n"))
        .where(Chat.user_id == user_id)
        .group_by(Chat.project_id)
        .subquery()
    )
    rows = session.exec(
        select(Project, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.project_id == Project.id)
        .where(Project.user_id == user_id)
        .order_by(Project.is_default.desc(), sa.func.lower(Project.name), Project.id)  # type: ignore[attr-defined]
    ).all()
    return [_summary(project, count) for project, count in rows]


def get_project(session: Session, *, user_id: int, project_id: int) -> ProjectSummary:
    project = owned_project(session, user_id=user_id, project_id=project_id)
    return _summary(project, _chat_count(session, project.id))  # type: ignore[arg-type]


def create_project(
    session: Session, *, user_id: int, name: str, ip: str | None = None
) -> ProjectSummary:
    """A new, empty project. Invalid for a bad name or too many projects; Conflict when the
    user already has a project by that name (case-insensitive)."""
    name = clean_name(name)
    default_project(session, user_id=user_id)  # so the first project made is never the default
    count = session.exec(
        select(sa.func.count()).select_from(Project).where(Project.user_id == user_id)
    ).one()
    if count >= MAX_PROJECTS:
        raise Invalid(f"You can have at most {MAX_PROJECTS} projects: delete one first.")
    _ensure_name_free(session, user_id=user_id, name=name)
    project = Project(user_id=user_id, name=name)
    session.add(project)
    try:
        session.flush()
    except IntegrityError:  # the same name created twice at once
        raise Conflict(f"You already have a project named “{name}”.") from None
    audit.record(session, user_id=user_id, action="project.create",
                 target=f"project:{project.id}", detail={"name": name}, ip=ip)
    return _summary(project, 0)


def rename_project(
    session: Session, *, user_id: int, project_id: int, name: str
) -> ProjectSummary:
    project = owned_project(session, user_id=user_id, project_id=project_id)
    name = clean_name(name)
    _ensure_name_free(session, user_id=user_id, name=name, other_than=project.id)
    project.name, project.updated_at = name, utcnow()
    session.add(project)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"You already have a project named “{name}”.") from None
    return _summary(project, _chat_count(session, project.id))  # type: ignore[arg-type]


def delete_project(
    session: Session, *, user_id: int, project_id: int, ip: str | None = None
) -> int:
    """Delete the project with its prompts and its chats (their messages and versions
    explicitly, as chats.delete_chat does; runs and triggers by the foreign keys' cascade).
    Returns how many chats went. Invalid for the default project."""
    project = owned_project(session, user_id=user_id, project_id=project_id)
    if project.is_default:
        raise Invalid("The default project cannot be deleted: it keeps chats made without a "
                      "project. Rename it, or delete its chats one by one.")
    chat_rows = session.exec(
        select(Chat.id, Chat.title).where(Chat.project_id == project.id, Chat.user_id == user_id)
    ).all()
    chat_ids = [row[0] for row in chat_rows]
    for chat_id, title in chat_rows:  # each chat's end is in the log, as when deleted alone
        audit.record(session, user_id=user_id, action="chat.delete", target=f"chat:{chat_id}",
                     detail={"title": title, "project": project.id}, ip=ip)
    audit.record(session, user_id=user_id, action="project.delete", target=f"project:{project.id}",
                 detail={"name": project.name, "chats": len(chat_ids)}, ip=ip)
    if chat_ids:
        session.execute(sa.delete(WorkflowVersion).where(WorkflowVersion.chat_id.in_(chat_ids)))  # type: ignore[attr-defined]
        session.execute(sa.delete(Message).where(Message.chat_id.in_(chat_ids)))  # type: ignore[attr-defined]
        session.execute(sa.delete(Chat).where(Chat.id.in_(chat_ids)))  # type: ignore[union-attr]
    session.execute(sa.delete(SystemPrompt).where(SystemPrompt.project_id == project.id))
    session.delete(project)
    session.flush()
    return len(chat_ids)


def clean_name(name: str, *, what: str = "A project's name") -> str:
    """A project or prompt name with its whitespace collapsed; Invalid when empty, too long or
    holding a NUL character."""
    cleaned = " ".join(refuse_nul(name or "", what=what).split())
    if not cleaned:
        raise Invalid(f"{what} cannot be empty.")
    if len(cleaned) > MAX_NAME:
        raise Invalid(f"{what} can be at most {MAX_NAME} characters (this one has {len(cleaned)}).")
    return cleaned


def _ensure_name_free(
    session: Session, *, user_id: int, name: str, other_than: int | None = None
) -> None:
    query = select(Project.id).where(
        Project.user_id == user_id, sa.func.lower(Project.name) == name.lower()
    )
    if other_than is not None:
        query = query.where(Project.id != other_than)
    if session.exec(query).first() is not None:
        raise Conflict(f"You already have a project named “{name}”.")


def _free_default_name(session: Session, user_id: int) -> str:
    # A user may already have a project called "Default" (the default was renamed, then
    # the database restored from before projects): pick the first free variant.
    names = session.exec(select(Project.name).where(Project.user_id == user_id))
    taken = {n.lower() for n in names}
    name, n = DEFAULT_NAME, 1
    while name.lower() in taken:
        n += 1
        name = f"{DEFAULT_NAME} {n}"
    return name


def _chat_count(session: Session, project_id: int) -> int:
    return session.exec(
        select(sa.func.count()).select_from(Chat).where(Chat.project_id == project_id)
    ).one()


def _summary(project: Project, chat_count: int) -> ProjectSummary:
    return ProjectSummary(
        id=project.id, name=project.name, is_default=project.is_default,  # type: ignore[arg-type]
        chat_count=int(chat_count), created_at=project.created_at, updated_at=project.updated_at,
    )
