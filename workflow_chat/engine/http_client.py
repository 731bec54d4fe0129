"""The HTTP client connectors share, and how HTTP failures become ConnectorErrors.

One httpx.AsyncClient per event loop: its connection pool is bound to the loop it was created
on, and building a client costs milliseconds (TLS context, certificates), too much to pay per
request at hundreds of runs a second.
"""

from __future__ import annotations

import asyncio
import ssl
from functools import cache
from typing import Any

import httpx

from workflow_chat.engine.context import ConnectorError
from workflow_chat.llm.errors import retry_after_seconds

USER_AGENT = "workflow-chat"
# Statuses where another attempt may succeed: server errors, rate limits, request timeouts.
RETRYABLE_STATUSES = frozenset({408, 425, 429})
EXCERPT_CHARS = 200

_clients: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}


def shared_client() -> httpx.AsyncClient:
    """The running loop's client (created on first use). Redirects are followed; httpx drops
    Authorization when a redirect leaves the origin."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None or client.is_closed:
        # Forget clients of loops that have ended (each test's asyncio.run is a new loop).
        for old in [old for old in _clients if old.is_closed()]:
            del _clients[old]
        client = httpx.AsyncClient(
            follow_redirects=True, headers={"User-Agent": USER_AGENT}, verify=_tls_context()
        )
        _clients[loop] = client
    return client


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle is most of a client's creation cost; one context serves every loop.
    return httpx.create_ssl_context()


async def close_shared_client() -> None:
    """Close the running loop's client, if any (call at shutdown)."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def excerpt(text: str) -> str:
    """`text` on one line, at most EXCERPT_CHARS long."""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def status_error(status: int, headers: httpx.Headers, body_text: str, who: str) -> ConnectorError:
    """The error for an answer with status >= 400: retryable for 5xx, 408, 425 and 429, with the
    peer's Retry-After (seconds or HTTP date) as `retry_after`. `who` names the peer safely."""
    detail = excerpt(body_text)
    message = f"{who} answered HTTP {status}" + (f": {detail}" if detail else "")
    retryable = status >= 500 or status in RETRYABLE_STATUSES
    return ConnectorError(message, retryable=retryable, retry_after=retry_after_seconds(headers))


def transport_error(error: httpx.HTTPError, who: str, timeout: float) -> ConnectorError:
    """The error for a request that got no answer. Timeouts and dropped or refused connections
    are retryable (the peer may be restarting); a bad URL or a redirect loop is not."""
    if isinstance(error, httpx.TimeoutException):
        return ConnectorError(f"{who} did not answer within {timeout:g} s", retryable=True)
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return ConnectorError(f"{who}: the URL cannot be used ({error})", retryable=False)
    if isinstance(error, httpx.TooManyRedirects):
        return ConnectorError(f"{who} redirected too many times", retryable=False)
    if isinstance(error, httpx.ConnectError):
        return ConnectorError(f"could not connect to {who}: {_reason(error)}", retryable=True)
    return ConnectorError(f"the connection to {who} failed: {_reason(error)}", retryable=True)


def _reason(error: Exception) -> str:
    # httpx's own text is often empty; the OS error underneath says "Connection refused".
    text = str(error) or str(error.__cause__ or error.__context__ or "") or type(error).__name__
    return excerpt(text)


def request_kwargs(body: Any) -> dict[str, Any]:
    """httpx arguments for a rendered body: dicts, lists, numbers and booleans go as JSON,
    text as it is, None as no body."""
    if body is None:
        return {}
    if isinstance(body, (str, bytes)):
        return {"content": body}
    return {"json": body}
