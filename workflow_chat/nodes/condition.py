"""Condition: a Jinja expression picks the true or the false branch."""

from pydantic import Field

from workflow_chat.engine.context import RunContext
from workflow_chat.engine.templating import evaluate
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    # An expression, not a template: earlier outputs are named without {{ }}.
    expression: str = Field(
        description="Jinja expression, e.g. nodes.fetch.output.body | length > 0",
        json_schema_extra={"widget": "template", "syntax": "expression"},
    )


async def run(config: Config, ctx: RunContext) -> dict[str, bool]:
    """Output {"result": bool}: the expression's truth (Python's: 0, "", [], {} and None are
    false). The runner follows the edges whose branch is "true" or "false" accordingly."""
    return {"result": bool(evaluate(config.expression, ctx, field="expression"))}


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
    run=run,
)
