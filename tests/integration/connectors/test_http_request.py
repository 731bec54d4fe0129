"""The http_request connector against a real local HTTP server."""

from __future__ import annotations

import asyncio
import socket
import time
from email.utils import formatdate
from typing import Any

import pytest

from tests.support.http_peer import HttpPeer, Reply, http_peer  # noqa: F401
from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import MASK, Secrets
from workflow_chat.nodes import http_request
from workflow_chat.nodes.http_request import Config

TOKEN = "tok-SECRET-42"


def _ctx(**outputs: Any) -> RunContext:
    secrets = Secrets({"WFC_SECRET_API_TOKEN": TOKEN})
    return RunContext("run-1", "fetch", outputs=outputs, trigger={"q": "a b"}, secrets=secrets)


def _run(config: dict[str, Any], ctx: RunContext | None = None) -> Any:
    return asyncio.run(http_request.run(Config.model_validate(config), ctx or _ctx()))


def _fails(config: dict[str, Any], ctx: RunContext | None = None) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        _run(config, ctx)
    return caught.value


def test_get_sends_rendered_url_and_headers_with_the_idempotency_key(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(body={"issues": [1, 2]}, headers={"X-Rate": "9"}))
    output = _run({"url": http_peer.url + "/search?q={{ trigger.q | urlencode }}",
                   "headers": {"Authorization": "Bearer {{ secrets.API_TOKEN }}"}})
    (request,) = http_peer.requests
    assert (request.method, request.path) == ("GET", "/search?q=a%20b")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == "run-1:fetch"
    assert output["status"] == 200
    assert output["body"] == {"issues": [1, 2]}
    assert output["headers"]["x-rate"] == "9"


def test_post_sends_a_json_body_with_native_values(http_peer: HttpPeer) -> None:
    ctx = _ctx(fetch={"body": {"issues": [{"id": 1}, {"id": 2}]}})
    _run({"method": "POST", "url": http_peer.url + "/in",
          "body": {"items": "{{ nodes.fetch.output.body.issues }}", "note": "n={{ 1 + 1 }}"}}, ctx)
    (request,) = http_peer.requests
    assert request.headers["content-type"] == "application/json"
    assert request.body == {"items": [{"id": 1}, {"id": 2}], "note": "n=2"}


def test_a_text_body_is_sent_as_it_is(http_peer: HttpPeer) -> None:
    _run({"method": "PUT", "url": http_peer.url + "/t", "headers": {"Content-Type": "text/csv"},
          "body": "a,b\n{{ trigger.q }},2"})
    (request,) = http_peer.requests
    assert request.raw_body == "a,b\na b,2"
    assert request.headers["content-type"] == "text/csv"


def test_a_key_set_in_the_config_is_kept(http_peer: HttpPeer) -> None:
    _run({"url": http_peer.url, "headers": {"idempotency-key": "mine"}})
    assert http_peer.requests[0].headers["idempotency-key"] == "mine"


@pytest.mark.parametrize(("content_type", "body", "parsed"), [
    ("text/plain; charset=utf-8", "héllo", "héllo"),
    ("application/problem+json", '{"a": 1}', {"a": 1}),
    ("application/json; charset=utf-8", "", None),
    ("application/json", "not json", "not json"),
])
def test_bodies_are_parsed_by_content_type(
    http_peer: HttpPeer, content_type: str, body: str, parsed: Any
) -> None:
    http_peer.script(Reply(body=body, headers={"Content-Type": content_type}))
    assert _run({"url": http_peer.url})["body"] == parsed


def test_429_with_retry_after_seconds_is_retryable(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(429, {"error": "slow down"}, headers={"Retry-After": "7"}))
    error = _fails({"url": http_peer.url + "/x"})
    assert error.retryable and error.retry_after == 7
    assert "HTTP 429" in error.message and "slow down" in error.message


def test_503_with_an_http_date_retry_after_is_retryable(http_peer: HttpPeer) -> None:
    when = formatdate(time.time() + 30, usegmt=True)
    http_peer.script(Reply(503, "down", headers={"Retry-After": when}))
    error = _fails({"url": http_peer.url})
    assert error.retryable and 25 <= (error.retry_after or 0) <= 31


def test_404_is_not_retryable_and_quotes_the_body(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(404, "no such   issue\n" + "x" * 500))
    error = _fails({"method": "DELETE", "url": http_peer.url + "/issues/9"})
    assert not error.retryable and error.retry_after is None
    assert error.message.startswith("DELETE 127.0.0.1/issues/9 answered HTTP 404: no such issue x")
    assert len(error.message) < 300


def test_secrets_echoed_by_the_peer_never_reach_the_error(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(401, f"bad token {TOKEN}"))
    error = _fails({"url": http_peer.url + "/{{ secrets.API_TOKEN }}?key={{ secrets.API_TOKEN }}"})
    assert TOKEN not in error.message and MASK in error.message


def test_a_refused_connection_is_retryable() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    error = _fails({"url": f"http://127.0.0.1:{port}/"})
    assert error.retryable and "could not connect" in error.message


def test_a_timeout_is_retryable(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(delay=1.0))
    error = _fails({"url": http_peer.url, "timeout_seconds": 0.1})
    assert error.retryable and "did not answer within 0.1 s" in error.message


def test_template_errors_send_nothing(http_peer: HttpPeer) -> None:
    error = _fails({"url": http_peer.url + "/{{ nodes.fetch.output.id }}"})
    assert not error.retryable and error.message.startswith("url: unknown name: no node 'fetch'")
    assert http_peer.requests == []


def test_a_rendered_url_must_be_http() -> None:
    error = _fails({"url": "{{ 'file:///etc/passwd' }}"})
    assert not error.retryable and "is not an http(s) URL" in error.message


def test_oversized_answers_are_refused(http_peer: HttpPeer, monkeypatch) -> None:
    monkeypatch.setattr(http_request, "MAX_BODY_BYTES", 1000)
    http_peer.script(Reply(body="x" * 5000))
    error = _fails({"url": http_peer.url})
    assert not error.retryable and "larger than" in error.message
