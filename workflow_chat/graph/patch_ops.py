"""Typed edit operations on a workflow graph: what a follow-up request turns into.

A model (or the offline planner) answers a follow-up with a list of these instead of a whole new
graph, so positions and edits the user made by hand survive.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

NodeId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Branch = Literal["true", "false"]


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddNode(_Op):
    """Add a step; with `after`, connect after → this node (on `branch` when after is a condition).
    With `before` too, the new node is inserted between `after` and `before`."""

    op: Literal["add_node"] = "add_node"
    id: NodeId
    kind: str
    label: str = Field(min_length=1, max_length=120)
    config: dict[str, Any] = Field(default_factory=dict)
    after: NodeId | None = None
    before: NodeId | None = None
    branch: Branch | None = None


class UpdateNode(_Op):
    """Change a step's label and/or config; config keys are merged into the existing config."""

    op: Literal["update_node"] = "update_node"
    id: NodeId
    label: str | None = Field(default=None, min_length=1, max_length=120)
    config: dict[str, Any] = Field(default_factory=dict)


class RemoveNode(_Op):
    """Remove a step and its edges; with `reconnect`, its parents are joined to its children."""

    op: Literal["remove_node"] = "remove_node"
    id: NodeId
    reconnect: bool = True


class Connect(_Op):
    op: Literal["connect"] = "connect"
    source: NodeId
    target: NodeId
    branch: Branch | None = None


class Disconnect(_Op):
    op: Literal["disconnect"] = "disconnect"
    source: NodeId
    target: NodeId


class Rename(_Op):
    """Rename the workflow itself (a step is renamed with update_node's label)."""

    op: Literal["rename"] = "rename"
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class SetTrigger(_Op):
    """Replace the trigger's kind and config; its id and outgoing edges stay."""

    op: Literal["set_trigger"] = "set_trigger"
    kind: Literal["manual", "schedule", "webhook"]
    config: dict[str, Any] = Field(default_factory=dict)
    label: str | None = Field(default=None, min_length=1, max_length=120)


PatchOp = Annotated[
    AddNode | UpdateNode | RemoveNode | Connect | Disconnect | Rename | SetTrigger,
    Field(discriminator="op"),
]


class Patch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ops: list[PatchOp] = Field(min_length=1, max_length=50)
