"""Transform: render a Jinja template over earlier outputs (sandboxed)."""

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    template: str = Field(
        description="Jinja template, e.g. {{ nodes.fetch.output.body | length }}",
        json_schema_extra={"widget": "template"},
    )
    parse_json: bool = Field(
        default=False, title="Parse as JSON", description="Parse the rendered text as JSON"
    )


KIND = NodeKind(
    name="transform",
    title="Transform",
    category="logic",
    description="Reshapes data with a Jinja template.",
    config=Config,
    icon="shuffle",
    colour="#0891b2",
    outputs="{'value': rendered text or parsed JSON}",
    summary=lambda c: c.template[:80],
)
