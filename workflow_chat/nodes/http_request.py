"""HTTP request: call an API; JSON answers are parsed."""

from typing import Any, Literal

from pydantic import Field, field_validator

from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url: str = Field(title="URL", description="http(s) URL; may contain {{ templates }}")
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = Field(default=None, description="JSON body or template string")
    timeout_seconds: float = Field(default=30, gt=0, le=300, title="Timeout (seconds)")

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str) -> str:
        value = value.strip()
        if not (value.startswith(("http://", "https://")) or value.startswith("{{")):
            raise ValueError("url must start with http:// or https://")
        return value


KIND = NodeKind(
    name="http_request",
    title="HTTP request",
    category="action",
    description="Calls a URL and returns the status, headers and parsed body.",
    config=Config,
    icon="globe",
    colour="#2563eb",
    outputs="{'status': int, 'headers': {...}, 'body': parsed JSON or text}",
    summary=lambda c: f"{c.method} {c.url}",
)
