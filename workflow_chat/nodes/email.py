"""Email: send a message through SMTP (server settings come from secrets at run time)."""

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    to: str = Field(description="Recipient address(es), comma separated; may be a template")
    subject: str
    body: str = Field(
        description="Message text; may contain {{ templates }}",
        json_schema_extra={"widget": "template"},
    )


KIND = NodeKind(
    name="email",
    title="Email",
    category="action",
    description="Sends an email through the configured SMTP server.",
    config=Config,
    icon="mail",
    colour="#dc2626",
    outputs="{'message_id': str}",
    summary=lambda c: f"To {c.to}: {c.subject}"[:80],
)
