"""The graph a run ran: the run view lists its steps in that graph's order, by their labels
(the chat's current graph may have changed since)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from workflow_chat.models import WorkflowVersion
from workflow_chat.services.runs import owned_run


def run_graph(session: Session, *, user_id: int, run_id: str) -> dict[str, Any]:
    """The workflow JSON of the version the run started from; NotFound for another user's
    run; an empty graph when that version is gone."""
    run = owned_run(session, user_id=user_id, run_id=run_id)
    version = session.get(WorkflowVersion, run.workflow_version_id)
    return version.graph if version else {"nodes": [], "edges": []}
