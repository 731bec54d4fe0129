"""Webhook trigger: an HTTP request to the workflow's secret URL starts a run."""

from typing import Literal

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    method: Literal["POST", "GET", "PUT"] = Field(default="POST")


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
)
