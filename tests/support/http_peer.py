"""A real HTTP server on 127.0.0.1 that answers from a script and records what it received.

`peer.script(Reply(...), ...)` queues answers for the next requests, in order; when the queue is
empty every request gets `peer.default` (200, `{"ok": true}`). `peer.requests` lists what
arrived (method, path, lower-cased headers, raw and JSON-parsed body, arrival time). Serving,
recording and shutdown are FakeOpenAI's; only the answers differ.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.support.fake_openai import FakeOpenAI


@dataclass
class Reply:
    """One scripted answer. A dict or list `body` is sent as JSON (with that content type
    unless `headers` names another); str and bytes as they are. `delay` waits before answering
    (to provoke a client timeout)."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, (dict, list)):
            headers.setdefault("Content-Type", "application/json")
            return json.dumps(self.body).encode(), headers
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        data = self.body if isinstance(self.body, bytes) else str(self.body).encode()
        return data, headers


class HttpPeer(FakeOpenAI):
    """Start with `start()` or as a context manager; `url` is the server root (no slash)."""

    def __init__(self) -> None:
        self.default = Reply()
        self._replies: deque[Reply] = deque()
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    @property
    def url(self) -> str:
        return self.base_url.removesuffix("/v1")

    def script(self, *replies: Reply) -> None:  # type: ignore[override]
        with self._lock:
            self._replies.extend(replies)

    def next_reply(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else self.default


def _handler_for(peer: HttpPeer) -> type[BaseHTTPRequestHandler]:
    base = FakeOpenAI._handler(peer)  # request recording

    class Handler(base):  # type: ignore[misc, valid-type]
        def _answer(self) -> None:
            self._record()
            reply = peer.next_reply()
            data, headers = reply.encoded()
            try:
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    return Handler


@pytest.fixture
def http_peer() -> Iterator[HttpPeer]:
    """A running HttpPeer, stopped after the test."""
    with HttpPeer() as peer:
        yield peer
