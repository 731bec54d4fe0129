"""The workflow graph shared by chat, canvas, engine and API (see DESIGN.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Position(BaseModel):
    x: float = 0
    y: float = 0


class RetryPolicy(BaseModel):
    """How the runner retries a failing side-effect node: the wait grows by `backoff` from
    `initial_delay_seconds` up to `max_delay_seconds`, with jitter; a peer's Retry-After wins."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(default=3, ge=1, le=10)
    initial_delay_seconds: float = Field(default=1.0, ge=0, le=300)
    backoff: float = Field(default=2.0, ge=1, le=10)
    max_delay_seconds: float = Field(default=60.0, ge=0, le=3600)


def _unset(value: Any) -> bool:
    return value is None


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    kind: str
    label: str = Field(min_length=1, max_length=120)
    config: dict[str, Any] = Field(default_factory=dict)
    position: Position = Field(default_factory=Position)
    # Run settings; absent means the kind's defaults, and absent keys stay out of the JSON.
    retry: RetryPolicy | None = Field(default=None, exclude_if=_unset)
    timeout_seconds: float | None = Field(default=None, gt=0, le=3600, exclude_if=_unset)


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    source: str
    target: str
    branch: Literal["true", "false"] | None = None


class Workflow(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: Literal[1] = Field(default=1, alias="schema")
    name: str = Field(default="Untitled workflow", max_length=200)
    description: str = Field(default="", max_length=2000)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The canonical JSON form (with the 'schema' key) stored and sent to clients."""
        return self.model_dump(mode="json", by_alias=True)

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)
