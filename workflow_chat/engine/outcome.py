"""The record of one node in a run, as the runner keeps it and the run view shows it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel

NodeStatus = Literal["pending", "running", "succeeded", "failed", "skipped", "cancelled"]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


class NodeOutcome(BaseModel):
    """Plain data (it is checkpointed by DBOS and stored in node_runs): never a live object."""

    node_id: str
    status: NodeStatus
    attempts: int = 0
    input: Any = None
    output: Any = None
    error: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    # For condition nodes: the branch taken ("true"/"false").
    branch: str | None = None
