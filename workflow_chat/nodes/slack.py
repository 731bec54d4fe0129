"""Slack: post to an incoming webhook whose URL is a named secret."""

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    text: str = Field(
        description="Message text; may contain {{ templates }}",
        json_schema_extra={"widget": "template"},
    )
    webhook_secret: str = Field(
        default="SLACK_WEBHOOK_URL",
        title="Webhook secret",
        description="Name of the secret that holds the webhook URL",
        json_schema_extra={"widget": "secret"},
    )
    channel: str | None = None


KIND = NodeKind(
    name="slack",
    title="Slack",
    category="action",
    description="Posts a message to Slack through an incoming webhook.",
    config=Config,
    icon="message-square",
    colour="#7c3aed",
    outputs="{'ok': bool}",
    summary=lambda c: (f"{c.channel}: " if c.channel else "Post: ") + c.text[:60],
)
