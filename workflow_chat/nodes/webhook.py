"""Webhook trigger: an HTTP request to the workflow's secret URL starts a run."""

from typing import Any, Literal

from pydantic import Field

from workflow_chat.engine.context import RunContext
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    method: Literal["POST", "GET", "PUT"] = Field(default="POST")


async def run(config: Config, ctx: RunContext) -> Any:
    """The request that started the run ({'body', 'headers', 'query'}); {} when there was
    none."""
    return {} if ctx.trigger is None else ctx.trigger


KIND = NodeKind(
    name="webhook",
    title="Webhook",
    category="trigger",
    description="Starts when an HTTP request reaches the workflow's webhook URL.",
    config=Config,
    icon="webhook",
    colour="#16a34a",
    outputs="{'body': request JSON body, 'headers': {...}, 'query': {...}}",
    summary=lambda c: f"On {c.method} to webhook URL",
    run=run,
)
