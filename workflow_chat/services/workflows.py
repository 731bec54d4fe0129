"""Workflow versions of a chat: every graph the assistant or the user produced, and which one is
current. Versions form a tree through `parent_id`: undo moves to the parent, redo to the newest
child, and a new change after an undo starts a new branch (the old one stays restorable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from workflow_chat.graph import Workflow, parse_workflow
from workflow_chat.graph.flow_view import apply_positions
from workflow_chat.models import Chat, Message, WorkflowVersion, utcnow
from workflow_chat.services import audit
from workflow_chat.services.chats import TouchedChat, keep_in_step, owned_chat
from workflow_chat.services.errors import Invalid, NotFound

VERSIONS = WorkflowVersion.__table__  # type: ignore[attr-defined]
CHATS = Chat.__table__  # type: ignore[attr-defined]
# Prebuilt (every answer with a graph and every edit runs them): the next number is counted in
# the INSERT itself, and the chat's pointer moves with a plain UPDATE, not an ORM flush.
_INSERT = (
    sa.insert(VERSIONS)
    .values(number=sa.select(sa.func.coalesce(sa.func.max(VERSIONS.c.number), 0) + 1)
            .where(VERSIONS.c.chat_id == sa.bindparam("of_chat")).scalar_subquery())
    .returning(VERSIONS.c.id, VERSIONS.c.number)
)
_GRAPH = sa.select(VERSIONS.c.graph).where(VERSIONS.c.id == sa.bindparam("version_id"))
_MAKE_CURRENT = (sa.update(CHATS).where(CHATS.c.id == sa.bindparam("chat_id"))
                 .values(current_version_id=sa.bindparam("version_id")))


@dataclass(frozen=True)
class VersionView:
    id: int
    number: int
    source: str
    created_at: datetime
    message_id: int | None
    parent_id: int | None


def save_version(
    session: Session,
    *,
    chat: Chat | TouchedChat,
    graph: Workflow | dict[str, Any],
    source: str,
    message_id: int | None = None,
    gesture: str | None = None,
    ip: str | None = None,
) -> WorkflowVersion:
    """Store a new current version made from the current one; the graph is validated again so
    nothing invalid is ever stored. `chat` is the chat loaded, or as `touch_owned` just checked
    it. The version comes back as an object of the session."""
    workflow = parse_workflow(graph)
    chat_id, parent_id = chat.id, chat.current_version_id
    session.flush()  # what the session holds goes in first, as before an ORM write
    conn = session.connection()
    created_at, stored = utcnow(), workflow.to_json()
    row = conn.execute(_INSERT, {
        "chat_id": chat_id, "of_chat": chat_id, "graph": stored, "source": source,
        "message_id": message_id, "parent_id": parent_id, "gesture": gesture,
        "created_at": created_at,
    }).one()
    conn.execute(_MAKE_CURRENT, {"chat_id": chat_id, "version_id": row.id})
    keep_in_step(session, chat_id, current_version_id=row.id)  # type: ignore[arg-type]
    audit.insert_event(conn, user_id=chat.user_id, action="workflow.version", target=f"chat:{chat_id}",
                       detail={"number": row.number, "source": source}, ip=ip)
    version = WorkflowVersion(id=row.id, chat_id=chat_id, number=row.number, graph=stored,  # type: ignore[arg-type]
                              source=source, message_id=message_id, parent_id=parent_id,
                              gesture=gesture, created_at=created_at)
    # Known to match its row: joins the session as loaded, with no read back.
    make_transient_to_detached(version)
    session.add(version)
    return version


def current_version(session: Session, *, user_id: int, chat_id: int) -> WorkflowVersion | None:
    """The version the chat shows and edits now (None before the first graph)."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    if chat.current_version_id is None:
        return None
    return session.get(WorkflowVersion, chat.current_version_id)


def current_graph(session: Session, *, chat: Chat) -> dict[str, Any] | None:
    """The graph of the version the (already owned) chat shows, without loading the version."""
    if chat.current_version_id is None:
        return None
    return session.connection().execute(_GRAPH, {"version_id": chat.current_version_id}).scalar()


# Kept for callers written before undo existed: "latest" means the current version.
latest_version = current_version


def list_versions(
    session: Session, *, user_id: int, chat_id: int, limit: int | None = None,
    before_number: int | None = None,
) -> list[VersionView]:
    """Newest first; at most `limit`, numbered below `before_number` when given."""
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    query = select(WorkflowVersion).where(WorkflowVersion.chat_id == chat_id)
    if before_number is not None:
        query = query.where(WorkflowVersion.number < before_number)
    rows = session.exec(query.order_by(WorkflowVersion.number.desc()).limit(limit)).all()
    return [view_of(v) for v in rows]


def view_of(version: WorkflowVersion) -> VersionView:
    return VersionView(id=version.id, number=version.number, source=version.source,  # type: ignore[arg-type]
                       created_at=version.created_at, message_id=version.message_id,
                       parent_id=version.parent_id)


def undo_target(session: Session, chat: Chat) -> WorkflowVersion | None:
    current = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    return session.get(WorkflowVersion, current.parent_id) if current and current.parent_id else None


def redo_target(session: Session, chat: Chat) -> WorkflowVersion | None:
    if chat.current_version_id is None:
        return None
    return session.exec(
        select(WorkflowVersion)
        .where(WorkflowVersion.chat_id == chat.id, WorkflowVersion.parent_id == chat.current_version_id)
        .order_by(WorkflowVersion.number.desc())
        .limit(1)
    ).first()


def step(session: Session, *, user_id: int, chat_id: int, direction: str) -> WorkflowVersion:
    """Undo ('back') or redo ('forward'); Invalid when there is nothing to go to."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    target = undo_target(session, chat) if direction == "back" else redo_target(session, chat)
    if target is None:
        raise Invalid("Nothing to undo." if direction == "back" else "Nothing to redo.")
    chat.current_version_id = target.id
    session.add(chat)
    return target


def get_version(session: Session, *, user_id: int, chat_id: int, version_id: int) -> WorkflowVersion:
    """One version of the user's chat; NotFound otherwise."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    version = session.get(WorkflowVersion, version_id)
    if version is None or version.chat_id != chat.id:
        raise NotFound("That version does not exist.")
    return version


def restore(session: Session, *, user_id: int, chat_id: int, version_id: int) -> WorkflowVersion:
    """Make an old version current again, as a new version (so the restore itself can be undone)."""
    old = get_version(session, user_id=user_id, chat_id=chat_id, version_id=version_id)
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    return save_version(session, chat=chat, graph=old.graph, source="restore")


def graph_of_message(session: Session, *, user_id: int, message_id: int) -> WorkflowVersion:
    """The version an assistant message produced (NotFound for someone else's message)."""
    message = session.get(Message, message_id)
    if message is None or message.workflow_version_id is None:
        raise NotFound("That message has no workflow.")
    owned_chat(session, user_id=user_id, chat_id=message.chat_id)
    version = session.get(WorkflowVersion, message.workflow_version_id)
    if version is None:
        raise NotFound("That message has no workflow.")
    return version


def save_positions(
    session: Session, *, user_id: int, chat_id: int, positions: list[dict[str, Any]]
) -> WorkflowVersion | None:
    """Store node positions from the canvas on the current version (layout is not a new version).

    Unknown ids are ignored; a batch with a non-finite coordinate is refused whole (Invalid).
    """
    version = current_version(session, user_id=user_id, chat_id=chat_id)
    if version is None:
        return None
    try:
        version.graph = apply_positions(version.graph, positions)
    except ValueError:
        raise Invalid("Node positions must be finite numbers.") from None
    session.add(version)
    return version
