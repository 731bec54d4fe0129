"""Transform: render a Jinja template over earlier outputs (sandboxed)."""

import json
from typing import Any

from pydantic import Field

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.templating import render
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    template: str = Field(
        description="Jinja template, e.g. {{ nodes.fetch.output.body | length }}",
        json_schema_extra={"widget": "template"},
    )
    parse_json: bool = Field(
        default=False, title="Parse as JSON", description="Parse the rendered text as JSON"
    )


async def run(config: Config, ctx: RunContext) -> dict[str, Any]:
    """Output {"value": the rendered text, or the parsed JSON when parse_json is set}. Pure:
    the runner may recompute it on replay and gets the same value."""
    text = render(config.template, ctx, field="template")
    if not config.parse_json:
        return {"value": text}
    try:
        return {"value": json.loads(text)}
    except ValueError as error:
        # Show where it broke but not the text itself: it may hold data from earlier nodes.
        raise ConnectorError(
            f"template: the result is not JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno}); tip: build JSON with the tojson filter",
            retryable=False,
        ) from None


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
    run=run,
)
