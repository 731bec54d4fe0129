"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat completions API, for tests.

Tests script its answers in order (`server.script(...)`) and read back every request it got
(`server.requests`). It serves POST /v1/chat/completions, plain or streamed (`"stream": true`
gives SSE chunks ending with `data: [DONE]`), and GET /v1/models.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One scripted answer: `content` with HTTP 200, or an error `status` with `message`.

    `delay` waits before answering (to provoke client timeouts); `chunk_size` and `chunk_delay`
    shape a streamed answer; `headers` are added to the response (e.g. Retry-After).
    Broken streams: `cut_after` closes the connection after that many content chunks (no
    finish, no [DONE]); `raw_stream` is sent as the whole SSE body instead of chunks.
    """

    content: str = ""
    status: int = 200
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"
    chunk_size: int = 8
    chunk_delay: float = 0.0
    cut_after: int | None = None
    raw_stream: bytes | None = None


@dataclass
class Received:
    """One request as the server saw it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    raw_body: str
    body: Any
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic)


class FakeOpenAI:
    """Start with `start()` (or use as a context manager); `base_url` ends with /v1."""

    models = ("fake-model",)

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # Handlers that still sleep on a `delay` must not hold up the test at shutdown.
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # A short poll keeps shutdown (and so each test's teardown) near-instant.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class; a fake for another API overrides this."""
        return _handler_for(self)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *answers: Scripted | str) -> None:
        """Queue answers for the next completion requests; a str is a 200 with that content."""
        with self._lock:
            self._queue.extend(
                a if isinstance(a, Scripted) else Scripted(content=a) for a in answers
            )

    def next_answer(self) -> Scripted:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return Scripted(status=500, message="fake server: no scripted answer left")

    def completion_requests(self) -> list[Received]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _completion(answer: Scripted, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": answer.finish_reason,
                     "message": {"role": "assistant", "content": answer.content}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None) -> bytes:
    data = {
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    return f"data: {json.dumps(data)}\n\n".encode()


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so a streamed body simply ends when we close.
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _record(self) -> Any:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(Received(self.command, self.path, headers, raw, body))
            return body

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._record()
            if self.path.rstrip("/").endswith("/models"):
                data = [{"id": m, "object": "model", "owned_by": "fake"} for m in fake.models]
                self._send(200, {"object": "list", "data": data})
            else:
                self._send(404, {"error": {"message": f"no route {self.path}"}})

        def do_POST(self) -> None:
            body = self._record() or {}
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            answer = fake.next_answer()
            try:
                time.sleep(answer.delay)
                if answer.status != 200:
                    error = {"message": answer.message, "type": "fake_error", "code": None}
                    self._send(answer.status, {"error": error}, answer.headers)
                elif body.get("stream"):
                    self._stream(answer, str(body.get("model", "")))
                else:
                    self._send(200, _completion(answer, str(body.get("model", ""))), answer.headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing left to tell it

        def _stream(self, answer: Scripted, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if answer.raw_stream is not None:
                self.wfile.write(answer.raw_stream)
                return
            self.wfile.write(_chunk(model, {"role": "assistant", "content": ""}, None))
            text, size = answer.content, max(answer.chunk_size, 1)
            for number, start in enumerate(range(0, len(text), size)):
                if number == answer.cut_after:
                    return  # HTTP/1.0: closing the connection ends the body mid-answer
                self.wfile.write(_chunk(model, {"content": text[start : start + size]}, None))
                self.wfile.flush()
                time.sleep(answer.chunk_delay)
            self.wfile.write(_chunk(model, {}, answer.finish_reason))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler
