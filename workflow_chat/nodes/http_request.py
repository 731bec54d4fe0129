"""HTTP request: call an API; JSON answers are parsed."""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import Field, field_validator

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.http_client import (
    request_kwargs,
    shared_client,
    status_error,
    transport_error,
)
from workflow_chat.engine.secrets import redact_error, redact_message
from workflow_chat.engine.templating import render, render_value
from workflow_chat.nodes.base import NodeConfig, NodeKind

# An output is checkpointed in the database; a bigger answer is an error, not a 1 GB row.
MAX_BODY_BYTES = 5 * 1024 * 1024


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


async def run(config: Config, ctx: RunContext) -> dict[str, Any]:
    """One request. Output: {"status": int, "headers": {lower-case name: value}, "body": parsed
    JSON when the answer says JSON, else text}. Sends `Idempotency-Key: run_id:node_id` unless
    the config sets its own. Status >= 400 raises ConnectorError (see http_client.status_error);
    no message holds a secret value."""
    url = render(config.url, ctx, field="url").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorError(
            redact_message(ctx.secrets, f"url: {url[:200]!r} is not an http(s) URL"),
            retryable=False,
        )
    headers = {name: render(value, ctx, field=f"headers.{name}")
               for name, value in config.headers.items()}
    if not any(name.lower() == "idempotency-key" for name in headers):
        headers["Idempotency-Key"] = ctx.idempotency_key
    body = render_value(config.body, ctx, field="body")
    # The host and path name the peer in errors; the query string often carries tokens.
    who = f"{config.method} {parts.hostname}{parts.path or '/'}"
    try:
        async with shared_client().stream(
            config.method, url, headers=headers, timeout=config.timeout_seconds,
            **request_kwargs(body),
        ) as response:
            raw = await _read_capped(response)
    except httpx.HTTPError as error:
        failure = transport_error(error, who, config.timeout_seconds)
        raise redact_error(ctx.secrets, failure) from None
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    if response.status_code >= 400:
        failure = status_error(response.status_code, response.headers, text, who)
        raise redact_error(ctx.secrets, failure)
    return {"status": response.status_code, "headers": dict(response.headers),
            "body": _parse(text, response.headers.get("content-type", ""))}


async def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ConnectorError(
                f"the answer is larger than {MAX_BODY_BYTES:,} bytes", retryable=False
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(text: str, content_type: str) -> Any:
    """JSON for application/json and */*+json answers; text otherwise, or when the JSON is
    broken (the status is still worth having)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


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
    run=run,
    side_effect=True,
)
