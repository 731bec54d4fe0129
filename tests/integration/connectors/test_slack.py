"""The slack connector against a real local HTTP server standing in for Slack."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from tests.support.http_peer import HttpPeer, Reply, http_peer  # noqa: F401
from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import Secrets
from workflow_chat.nodes import slack
from workflow_chat.nodes.slack import Config

HOOK_PATH = "/services/T0001/B0002/hooksecretXYZ"


def _ctx(url: str | None) -> RunContext:
    env = {"WFC_SECRET_SLACK_WEBHOOK_URL": url} if url else {}
    return RunContext("run-7", "notify", outputs={"summarise": {"text": "3 new issues"}},
                      secrets=Secrets(env))


def _run(config: dict[str, Any], url: str | None) -> Any:
    return asyncio.run(slack.run(Config.model_validate(config), _ctx(url)))


def _fails(config: dict[str, Any], url: str | None) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        _run(config, url)
    assert "hooksecretXYZ" not in caught.value.message and HOOK_PATH not in caught.value.message
    return caught.value


def test_posts_the_rendered_text_to_the_webhook(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(body="ok"))
    output = _run({"text": "Today: {{ nodes.summarise.output.text }}", "channel": "#ops"},
                  http_peer.url + HOOK_PATH)
    (request,) = http_peer.requests
    assert (request.method, request.path) == ("POST", HOOK_PATH)
    assert request.body == {"text": "Today: 3 new issues", "channel": "#ops"}
    assert request.headers["idempotency-key"] == "run-7:notify"
    assert output == {"ok": True, "status": 200, "body": "ok"}


def test_no_channel_key_without_a_channel(http_peer: HttpPeer) -> None:
    _run({"text": "hi"}, http_peer.url + HOOK_PATH)
    assert http_peer.requests[0].body == {"text": "hi"}


def test_a_slack_error_is_reported_without_the_url(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(404, "no_team"))
    error = _fails({"text": "hi"}, http_peer.url + HOOK_PATH)
    assert not error.retryable
    assert error.message == "the Slack webhook answered HTTP 404: no_team"


def test_rate_limits_are_retryable_after_the_wait_slack_asks(http_peer: HttpPeer) -> None:
    http_peer.script(Reply(429, "rate_limited", headers={"Retry-After": "30"}))
    error = _fails({"text": "hi"}, http_peer.url + HOOK_PATH)
    assert error.retryable and error.retry_after == 30


def test_a_missing_webhook_secret_sends_nothing(http_peer: HttpPeer) -> None:
    error = _fails({"text": "hi", "webhook_secret": "TEAM_HOOK"}, http_peer.url + HOOK_PATH)
    assert not error.retryable and error.message.startswith("secret TEAM_HOOK is not set")
    assert http_peer.requests == []


def test_a_secret_that_is_not_a_url_is_refused_without_echoing_it() -> None:
    error = _fails({"text": "hi"}, "hooksecretXYZ")
    assert error.message == "secret SLACK_WEBHOOK_URL does not hold an http(s) URL"


def test_an_unreachable_webhook_is_retryable_and_unnamed() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    error = _fails({"text": "hi"}, f"http://127.0.0.1:{port}{HOOK_PATH}")
    assert error.retryable and error.message.startswith("could not connect to the Slack webhook")
