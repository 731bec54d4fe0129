"""Condition: a Jinja expression picks the true or the false branch."""

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    # An expression, not a template: earlier outputs are named without {{ }}.
    expression: str = Field(
        description="Jinja expression, e.g. nodes.fetch.output.body | length > 0",
        json_schema_extra={"widget": "template", "syntax": "expression"},
    )


KIND = NodeKind(
    name="condition",
    title="Condition",
    category="logic",
    description="Continues on the 'true' or the 'false' branch.",
    config=Config,
    icon="git-branch",
    colour="#d97706",
    outputs="{'result': bool}",
    summary=lambda c: f"If {c.expression}"[:80],
    branches=("true", "false"),
)
