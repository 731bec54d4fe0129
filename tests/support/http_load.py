"""A load generator's HTTP connection, cheap enough to share 2 cores with the server it loads."""

from __future__ import annotations

import asyncio
import json

import httpx


class Connection:
    """One keep-alive HTTP/1.1 connection, written out by hand. The load generator shares the
    2 cores with the server, and httpx spends about 1.3 ms of CPU per call, half of what the
    server spends on a whole run: it would cap the figure it is measuring (n8n's was taken
    with k6 from another machine). This costs about a tenth of that."""

    def __init__(self, url: str) -> None:
        parts = httpx.URL(url)
        self.host, self.port = parts.host, parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, target: str, payload: object) -> tuple[int, bytes]:
        """(status, body) of POST `target` with `payload` as JSON; reconnects when the server
        closed the connection."""
        body = json.dumps(payload).encode()
        head = (f"POST {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionError("the server closed the connection")
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise ConnectionError("chunked answers are not expected here")
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        answer = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return int(status_line.split()[1]), answer
