"""The audit log: who did what, when and from where. Services record events inside the
transaction of the action they describe, so an event exists exactly when its action was
committed; users read back their own events only.

Targets and details hold names, ids and numbers: never a password, a secret's value or the
text of a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.models import AuditEvent, utcnow

MAX_IP = 64
MAX_TARGET = 200
MAX_LIMIT = 500
_INSERT = sa.insert(AuditEvent.__table__)  # type: ignore[attr-defined]

# What the Activity dialog says for each action (unknown actions show as they are).
ACTION_WORDS = {
    "login.success": "Signed in",
    "login.failure": "Failed sign-in",
    "chat.create": "Created a chat",
    "chat.delete": "Deleted a chat",
    "chat.move": "Moved a chat to another project",
    "workflow.version": "Saved a workflow version",
    "run.start": "Started a run",
    "secret.create": "Added a secret",
    "secret.replace": "Replaced a secret's value",
    "secret.use": "A run used a secret",
    "secret.delete": "Deleted a secret",
    "project.create": "Created a project",
    "project.delete": "Deleted a project",
    "password.change": "Changed the password",
    "sessions.revoke": "Logged out other sessions",
    "email.change": "Changed the email address",
}


@dataclass(frozen=True)
class EventView:
    id: int
    action: str
    target: str | None
    detail: dict[str, Any] | None
    ip: str | None
    created_at: datetime


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """Add one event to the caller's transaction (no flush, no commit: it costs no extra round
    trip and disappears with the action if the caller rolls back)."""
    session.add(AuditEvent(**event_row(user_id=user_id, action=action, target=target,
                                       detail=detail, ip=ip)))


def event_row(
    *,
    user_id: int | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """One event as column values, for a plain INSERT on a hot path where an ORM unit of work
    would cost more than the action itself."""
    return {"user_id": user_id, "action": action,
            "target": target[:MAX_TARGET] if target else None, "detail": detail or None,
            "ip": ip[:MAX_IP] if ip else None, "created_at": utcnow()}


def insert_event(conn: sa.Connection, **event: Any) -> None:
    """`event_row(**event)` as a plain INSERT in the caller's transaction."""
    conn.execute(_INSERT, event_row(**event))


def list_events(
    session: Session, *, user_id: int, limit: int = 100, before_id: int | None = None
) -> list[EventView]:
    """The user's own events, newest first; `before_id` (the last id of a previous page) gives
    the next page. An id that is not one of the user's events gives an empty page."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    query = select(AuditEvent).where(AuditEvent.user_id == user_id)
    if before_id is not None:
        cursor = session.get(AuditEvent, before_id) if isinstance(before_id, int) else None
        if cursor is None or cursor.user_id != user_id:
            return []
        # Keyset on (created_at, id) so the (user_id, created_at) index serves every page.
        query = query.where(sa.or_(
            AuditEvent.created_at < cursor.created_at,
            sa.and_(AuditEvent.created_at == cursor.created_at, AuditEvent.id < cursor.id),  # type: ignore[operator]
        ))
    rows = session.exec(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)  # type: ignore[attr-defined,union-attr]
    ).all()
    return [
        EventView(id=r.id, action=r.action, target=r.target, detail=r.detail, ip=r.ip,  # type: ignore[arg-type]
                  created_at=r.created_at)
        for r in rows
    ]


def describe(action: str) -> str:
    """The action in words for people."""
    return ACTION_WORDS.get(action, action)
