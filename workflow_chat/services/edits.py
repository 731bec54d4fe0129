"""Manual edits from the canvas and the inspector: typed ops applied to the current version.

Each finished gesture is one version (source "edit"). Gestures of the same kind on the same
target that follow each other quickly (typing in one field, nudging one node) are coalesced into
the version they started, so undo steps over a whole gesture rather than every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any

from sqlmodel import Session

from workflow_chat.graph import Workflow, parse_workflow
from workflow_chat.graph.changes import ChangeSet
from workflow_chat.graph.flow_view import apply_positions
from workflow_chat.graph.patch import PatchError, apply_patch
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.models import Chat, WorkflowVersion, utcnow
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.services.workflows import redo_target, save_version

COALESCE_WINDOW = timedelta(seconds=4)


@dataclass(frozen=True)
class EditResult:
    version: WorkflowVersion
    changes: ChangeSet | None


def apply_edit(
    session: Session,
    *,
    user_id: int,
    chat_id: int,
    ops: list[dict[str, Any]],
    gesture: str | None = None,
) -> EditResult:
    """Apply ops (patch_ops JSON) to the current graph and store the result.

    Raises Invalid with the reasons when the ops do not apply or the graph would break a rule
    (nothing is stored then), NotFound for another user's chat or a chat without a graph.
    `gesture` names what is being edited (e.g. "config:fetch"); the same gesture repeated within
    a few seconds updates the version it made instead of adding one.
    """
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    current = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    if current is None:
        raise NotFound("This chat has no workflow to edit yet.")
    try:
        patch = Patch.model_validate({"ops": ops})
        result = apply_patch(Workflow.model_validate(current.graph), patch)
    except PatchError as exc:
        raise Invalid(_reasons(exc.errors), exc.errors) from None
    except ValueError as exc:  # pydantic: an op that is not well-formed
        raise Invalid(f"That edit is not valid: {exc}") from None
    return EditResult(
        version=_store(session, chat=chat, current=current, graph=result.workflow, gesture=gesture),
        changes=result.changes,
    )


def replace_graph(
    session: Session, *, user_id: int, chat_id: int, graph: dict[str, Any], source: str = "import"
) -> WorkflowVersion:
    """Store a whole graph (an import) as a new version; Invalid lists every rule it breaks."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    try:
        workflow = parse_workflow(graph)
    except ValueError as exc:
        errors = list(getattr(exc, "errors", [str(exc)]))
        raise Invalid(_reasons(errors), errors) from None
    return save_version(session, chat=chat, graph=workflow, source=source)


def move_nodes(
    session: Session, *, user_id: int, chat_id: int, positions: list[dict[str, Any]]
) -> WorkflowVersion | None:
    """A finished drag: the moved positions as an edit version (successive drags of the same
    nodes coalesce). None when the chat has no graph."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    current = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    if current is None:
        return None
    try:
        graph = apply_positions(current.graph, positions)
    except ValueError:
        raise Invalid("Node positions must be finite numbers.") from None
    if graph == current.graph:
        return current
    ids = ",".join(sorted(str(p.get("id")) for p in positions))
    return _store(session, chat=chat, current=current, graph=graph, gesture=f"move:{ids}")


def _store(
    session: Session,
    *,
    chat: Chat,
    current: WorkflowVersion,
    graph: Workflow | dict[str, Any],
    gesture: str | None,
) -> WorkflowVersion:
    created = current.created_at
    # SQLite hands back naive datetimes; they were stored in UTC.
    created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
    fresh = utcnow() - created < COALESCE_WINDOW
    if (
        gesture is not None
        and current.source == "edit"
        and current.gesture == gesture
        and fresh
        and redo_target(session, chat) is None
    ):
        current.graph = graph.to_json() if isinstance(graph, Workflow) else graph
        session.add(current)
        return current
    return save_version(session, chat=chat, graph=graph, source="edit", gesture=gesture)


def _reasons(errors: list[str]) -> str:
    shown = "; ".join(errors[:4])
    more = f" (and {len(errors) - 4} more)" if len(errors) > 4 else ""
    return f"That change would break the workflow: {shown}{more}."
