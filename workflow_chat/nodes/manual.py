"""Manual trigger: a person presses Run, optionally with a JSON input."""

from typing import Any

from workflow_chat.engine.context import RunContext
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    pass


async def run(config: Config, ctx: RunContext) -> Any:
    """The JSON input given when the run was started; {} when there was none."""
    return {} if ctx.trigger is None else ctx.trigger


KIND = NodeKind(
    name="manual",
    title="Manual trigger",
    category="trigger",
    description="Starts when a person presses Run.",
    config=Config,
    icon="play",
    colour="#16a34a",
    outputs="The JSON input given when the run was started (may be empty).",
    summary=lambda c: "Run by hand",
    run=run,
)
