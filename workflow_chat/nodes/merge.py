"""Merge: join branches, waiting for all of them or the first one."""

from typing import Any, Literal

from workflow_chat.engine.context import RunContext
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    mode: Literal["all", "any"] = "all"


async def run(config: Config, ctx: RunContext) -> dict[str, Any]:
    """Output {"inputs": ctx.outputs}, as given. The runner does the joining (waits for all
    branches, or continues on the first for "any"), so it should give ctx.outputs only the
    outputs of the merge's direct predecessors that finished."""
    return {"inputs": dict(ctx.outputs)}


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
    run=run,
)
