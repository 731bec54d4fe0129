"""Request and response bodies of runs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workflow_chat.api.schemas_common import UtcDatetime


class RunCreate(BaseModel):
    input: Any = Field(default=None, description="Any JSON: the manual trigger's output")


class RunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    chat_id: int
    version_number: int
    trigger: str = Field(description="manual | schedule | webhook")
    status: str = Field(description="queued | running | succeeded | failed | cancelled")
    error: str | None
    created_at: UtcDatetime
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    duration_ms: int | None


class NodeRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    node_id: str
    status: str = Field(description="pending | running | succeeded | failed | skipped | cancelled")
    attempts: int
    input: Any = Field(description="What the node received (secrets redacted)")
    output: Any = Field(description="What the node returned (secrets redacted)")
    error: str | None
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    duration_ms: int | None


class RunDetailPublic(RunPublic):
    input: Any = Field(description="The run's input (the trigger's output)")
    nodes: list[NodeRunPublic]
