"""Slack: post to an incoming webhook whose URL is a named secret."""

from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import Field

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.http_client import shared_client, status_error, transport_error
from workflow_chat.engine.secrets import redact_error
from workflow_chat.engine.templating import render
from workflow_chat.nodes.base import NodeConfig, NodeKind

TIMEOUT_SECONDS = 30.0
# The webhook URL is the credential: errors name the peer with these words only.
WHO = "the Slack webhook"


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


async def run(config: Config, ctx: RunContext) -> dict[str, Any]:
    """POST {"text", "channel" (when set)} to the webhook held by secret `webhook_secret`, with
    `Idempotency-Key: run_id:node_id`. Output {"ok": True, "status": int, "body": text}.
    A non-2xx answer raises ConnectorError like http_request (5xx/429 retryable); the URL
    never appears in a message or output."""
    payload: dict[str, Any] = {"text": render(config.text, ctx, field="text")}
    if config.channel:
        payload["channel"] = render(config.channel, ctx, field="channel")
    if ctx.secrets is None:
        raise ConnectorError("secrets are not available here", retryable=False)
    url = ctx.secrets.get(config.webhook_secret).strip()
    if urlsplit(url).scheme not in ("http", "https"):
        raise ConnectorError(f"secret {config.webhook_secret} does not hold an http(s) URL",
                             retryable=False)
    try:
        response = await shared_client().post(
            url, json=payload, headers={"Idempotency-Key": ctx.idempotency_key},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        raise redact_error(ctx.secrets, transport_error(error, WHO, TIMEOUT_SECONDS)) from None
    if not response.is_success:
        failure = status_error(response.status_code, response.headers, response.text, WHO)
        raise redact_error(ctx.secrets, failure)
    return {"ok": True, "status": response.status_code, "body": response.text}


KIND = NodeKind(
    name="slack",
    title="Slack",
    category="action",
    description="Posts a message to Slack through an incoming webhook.",
    config=Config,
    icon="message-square",
    colour="#7c3aed",
    outputs="{'ok': bool, 'status': int, 'body': Slack's answer text}",
    summary=lambda c: (f"{c.channel}: " if c.channel else "Post: ") + c.text[:60],
    run=run,
    side_effect=True,
)
