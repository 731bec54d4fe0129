"""Workflow versions of a chat: every graph the assistant (or later, the user) produced."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.graph import Workflow, parse_workflow
from workflow_chat.graph.flow_view import apply_positions
from workflow_chat.models import Chat, WorkflowVersion
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid


def save_version(
    session: Session,
    *,
    chat: Chat,
    graph: Workflow | dict[str, Any],
    source: str,
    message_id: int | None = None,
) -> WorkflowVersion:
    """Store a new version; the graph is validated again so nothing invalid is ever stored."""
    workflow = parse_workflow(graph)
    number = session.exec(
        select(sa.func.coalesce(sa.func.max(WorkflowVersion.number), 0)).where(
            WorkflowVersion.chat_id == chat.id
        )
    ).one()
    version = WorkflowVersion(
        chat_id=chat.id,  # type: ignore[arg-type]
        number=number + 1,
        graph=workflow.to_json(),
        source=source,
        message_id=message_id,
    )
    session.add(version)
    session.flush()
    return version


def latest_version(session: Session, *, user_id: int, chat_id: int) -> WorkflowVersion | None:
    owned_chat(session, user_id=user_id, chat_id=chat_id)
    return session.exec(
        select(WorkflowVersion)
        .where(WorkflowVersion.chat_id == chat_id)
        .order_by(WorkflowVersion.number.desc())
        .limit(1)
    ).first()


def save_positions(
    session: Session, *, user_id: int, chat_id: int, positions: list[dict[str, Any]]
) -> WorkflowVersion | None:
    """Store node positions from the canvas on the latest version (layout is not a new version).

    Unknown ids are ignored; a batch with a non-finite coordinate is refused whole (Invalid).
    """
    version = latest_version(session, user_id=user_id, chat_id=chat_id)
    if version is None:
        return None
    try:
        version.graph = apply_positions(version.graph, positions)
    except ValueError:
        raise Invalid("Node positions must be finite numbers.") from None
    session.add(version)
    return version
