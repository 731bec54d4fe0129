"""Merge: join branches, waiting for all of them or the first one."""

from typing import Literal

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    mode: Literal["all", "any"] = "all"


KIND = NodeKind(
    name="merge",
    title="Merge",
    category="logic",
    description="Joins branches: waits for all of them, or continues on the first.",
    config=Config,
    icon="merge",
    colour="#0d9488",
    outputs="{'inputs': {node_id: output}}",
    summary=lambda c: "Wait for all" if c.mode == "all" else "Continue on first",
)
