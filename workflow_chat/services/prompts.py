"""System prompts of a project: several named texts, at most one active. The active one's text
is added to the model's system message in every turn of the project's chats (services/turns.py);
the offline planner ignores it.

Ownership goes through the project: a prompt of another user's project is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workflow_chat.models import Chat, Project, SystemPrompt, utcnow
from workflow_chat.services.errors import Conflict, Invalid, NotFound
from workflow_chat.services.projects import clean_name, owned_project
from workflow_chat.services.text_rules import refuse_nul

MAX_TEXT = 8000
MAX_PROMPTS = 50
PROMPT_NAME = "A prompt's name"
_PROMPTS = SystemPrompt.__table__  # type: ignore[attr-defined]
_CHATS = Chat.__table__  # type: ignore[attr-defined]
# Prebuilt: every chat turn asks for it.
_ACTIVE_TEXT = (
    sa.select(_PROMPTS.c.text)
    .join(_CHATS, _CHATS.c.project_id == _PROMPTS.c.project_id)
    .where(_CHATS.c.id == sa.bindparam("chat_id"), _CHATS.c.user_id == sa.bindparam("user_id"),
           _PROMPTS.c.is_active == sa.true())
)


@dataclass(frozen=True)
class PromptView:
    id: int
    project_id: int
    name: str
    text: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


def list_prompts(session: Session, *, user_id: int, project_id: int) -> list[PromptView]:
    """The project's prompts by name. NotFound when the project is not the user's."""
    owned_project(session, user_id=user_id, project_id=project_id)
    rows = session.exec(
        select(SystemPrompt).where(SystemPrompt.project_id == project_id)
        .order_by(sa.func.lower(SystemPrompt.name), SystemPrompt.id)
    ).all()
    return [_view(row) for row in rows]


def get_prompt(session: Session, *, user_id: int, prompt_id: int) -> PromptView:
    return _view(_owned(session, user_id, prompt_id))


def create_prompt(
    session: Session, *, user_id: int, project_id: int, name: str, text: str,
    active: bool = False,
) -> PromptView:
    """A new prompt in the project, made the active one when `active`. Invalid for a bad name
    or text, Conflict when the project has a prompt by that name (case-insensitive)."""
    owned_project(session, user_id=user_id, project_id=project_id)
    name, text = clean_name(name, what=PROMPT_NAME), clean_text(text)
    count = session.exec(
        select(sa.func.count()).select_from(SystemPrompt)
        .where(SystemPrompt.project_id == project_id)
    ).one()
    if count >= MAX_PROMPTS:
        raise Invalid(f"A project can have at most {MAX_PROMPTS} prompts: delete one first.")
    _ensure_name_free(session, project_id=project_id, name=name)
    row = SystemPrompt(project_id=project_id, name=name, text=text)
    session.add(row)
    _flush(session, name)
    if active:
        _make_active(session, row)
    return _view(row)


def update_prompt(
    session: Session, *, user_id: int, prompt_id: int, name: str | None = None,
    text: str | None = None,
) -> PromptView:
    """Change a prompt's name and/or text (None keeps it); same rules as create_prompt."""
    row = _owned(session, user_id, prompt_id)
    if name is not None:
        name = clean_name(name, what=PROMPT_NAME)
        _ensure_name_free(session, project_id=row.project_id, name=name, other_than=row.id)
        row.name = name
    if text is not None:
        row.text = clean_text(text)
    row.updated_at = utcnow()
    session.add(row)
    _flush(session, row.name)
    return _view(row)


def delete_prompt(session: Session, *, user_id: int, prompt_id: int) -> None:
    """Delete a prompt; deleting the active one leaves the project with none active."""
    session.delete(_owned(session, user_id, prompt_id))
    session.flush()


def activate_prompt(session: Session, *, user_id: int, prompt_id: int) -> PromptView:
    """Make this the project's active prompt (the previous one, if any, stops being active)."""
    row = _owned(session, user_id, prompt_id)
    _make_active(session, row)
    return _view(row)


def clear_active_prompt(session: Session, *, user_id: int, project_id: int) -> None:
    """Leave the project with no active prompt (the prompts stay)."""
    owned_project(session, user_id=user_id, project_id=project_id)
    _deactivate_all(session, project_id)
    session.flush()


def active_prompt_text(session: Session, *, user_id: int, chat_id: int) -> str | None:
    """The text of the active prompt of the chat's project, None when there is none or the chat
    is not the user's."""
    return session.connection().execute(
        _ACTIVE_TEXT, {"chat_id": chat_id, "user_id": user_id}).scalar()


def clean_text(text: str) -> str:
    """The prompt text without surrounding blank space; Invalid when empty, too long or
    holding a NUL character."""
    cleaned = refuse_nul((text or "").strip(), what="A prompt's text")
    if not cleaned:
        raise Invalid("A prompt's text cannot be empty.")
    if len(cleaned) > MAX_TEXT:
        raise Invalid(f"A prompt's text can be at most {MAX_TEXT:,} characters "
                      f"(this one has {len(cleaned):,}).")
    return cleaned


def _owned(session: Session, user_id: int, prompt_id: int) -> SystemPrompt:
    row = None
    if isinstance(prompt_id, int):
        row = session.exec(
            select(SystemPrompt).join(Project, Project.id == SystemPrompt.project_id)
            .where(SystemPrompt.id == prompt_id, Project.user_id == user_id)
        ).first()
    if row is None:
        raise NotFound("That prompt does not exist.")
    return row


def _make_active(session: Session, row: SystemPrompt) -> None:
    # Clear first: the partial unique index allows one active prompt per project at any time.
    _deactivate_all(session, row.project_id, except_id=row.id)
    session.flush()
    row.is_active = True
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another prompt was activated at the same moment
        raise Conflict("Another prompt was made active at the same time: "
                       "please try again.") from None


def _deactivate_all(session: Session, project_id: int, except_id: int | None = None) -> None:
    query = sa.update(SystemPrompt).where(
        SystemPrompt.project_id == project_id, SystemPrompt.is_active == sa.true()
    )
    if except_id is not None:
        query = query.where(SystemPrompt.id != except_id)
    session.execute(query.values(is_active=False).execution_options(synchronize_session="fetch"))


def _ensure_name_free(
    session: Session, *, project_id: int, name: str, other_than: int | None = None
) -> None:
    query = select(SystemPrompt.id).where(
        SystemPrompt.project_id == project_id, sa.func.lower(SystemPrompt.name) == name.lower()
    )
    if other_than is not None:
        query = query.where(SystemPrompt.id != other_than)
    if session.exec(query).first() is not None:
        raise Conflict(f"This project already has a prompt named “{name}”.")


def _flush(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:  # the same name saved twice at once
        raise Conflict(f"This project already has a prompt named “{name}”.") from None


def _view(row: SystemPrompt) -> PromptView:
    return PromptView(
        id=row.id, project_id=row.project_id, name=row.name, text=row.text,  # type: ignore[arg-type]
        is_active=row.is_active, created_at=row.created_at, updated_at=row.updated_at,
    )
