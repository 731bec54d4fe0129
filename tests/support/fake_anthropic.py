"""A real HTTP server on 127.0.0.1 that speaks Anthropic's Messages API, for tests.

POST /v1/messages with `"stream": true` answers in Anthropic's SSE format (message_start,
content_block_start, ping, content_block_delta…, content_block_stop, message_delta,
message_stop). A scripted `content` is streamed as the input of a tool call to the tool the
request forces (`tool_choice`), as `input_json_delta` fragments of `chunk_size` characters;
without a forced tool it streams as text. Errors use Anthropic's error body. Scripting and
request recording are FakeOpenAI's (`script`, `requests`).
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.fake_openai import FakeOpenAI, Scripted


class FakeAnthropic(FakeOpenAI):
    """Start with `start()` or as a context manager; `base_url` is the server root."""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    @property
    def base_url(self) -> str:
        return super().base_url.removesuffix("/v1")

    def completion_requests(self) -> list[Any]:
        return [r for r in self.requests if r.path.endswith("/messages")]


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode()


def _events(answer: Scripted, body: dict[str, Any]) -> list[bytes]:
    """The stream's events, content split into `chunk_size` pieces."""
    choice = body.get("tool_choice") or {}
    tool = choice.get("name") if choice.get("type") == "tool" else None
    message = {"id": "msg_fake", "type": "message", "role": "assistant", "content": [],
               "model": body.get("model", ""), "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 1}}
    if tool:
        block = {"type": "tool_use", "id": "toolu_fake", "name": tool, "input": {}}
    else:
        block = {"type": "text", "text": ""}
    size = max(answer.chunk_size, 1)
    pieces = [answer.content[i : i + size] for i in range(0, len(answer.content), size)]
    deltas = [
        {"type": "input_json_delta", "partial_json": p} if tool
        else {"type": "text_delta", "text": p}
        for p in pieces
    ]
    stop = "tool_use" if tool else "end_turn"
    if answer.finish_reason == "length":
        stop = "max_tokens"
    return [
        _event("message_start", {"message": message}),
        _event("content_block_start", {"index": 0, "content_block": block}),
        _event("ping", {}),
        *[_event("content_block_delta", {"index": 0, "delta": d}) for d in deltas],
        _event("content_block_stop", {"index": 0}),
        _event("message_delta", {"delta": {"stop_reason": stop, "stop_sequence": None},
                                 "usage": {"output_tokens": len(pieces)}}),
        _event("message_stop", {}),
    ]


def _handler_for(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    base = FakeOpenAI._handler(fake)  # reuse request recording and JSON replies

    class Handler(base):  # type: ignore[misc, valid-type]
        def do_POST(self) -> None:
            body = self._record() or {}
            if not self.path.rstrip("/").endswith("/v1/messages"):
                self._send(404, {"type": "error", "error": {"type": "not_found_error",
                                                            "message": f"no route {self.path}"}})
                return
            answer = fake.next_answer()
            try:
                time.sleep(answer.delay)
                if answer.status != 200:
                    error = {"type": "api_error", "message": answer.message}
                    self._send(answer.status, {"type": "error", "error": error}, answer.headers)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for event in _events(answer, body):
                    self.wfile.write(event)
                    self.wfile.flush()
                    time.sleep(answer.chunk_delay)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up

    return Handler
