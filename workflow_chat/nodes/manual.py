"""Manual trigger: a person presses Run, optionally with a JSON input."""

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    pass


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
)
