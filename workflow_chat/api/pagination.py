"""Cursor pagination: `?limit=` (1..100, default 50) and an opaque `?cursor=` that carries the
sort key of the last item served. The services filter by that key (keyset), so a page never
repeats or skips rows because others were added meanwhile. A list route takes `paging: Paging`
and answers `paging.keyset(...)` or `paging.whole(...)`."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from workflow_chat.api.errors import BadRequest
from workflow_chat.api.schemas_common import Page
from workflow_chat.db import session_scope

M = TypeVar("M", bound=BaseModel)
Key = tuple[Any, ...]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_CURSOR = 512

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR,
                                     description="next_cursor of the previous page")]


def encode_cursor(key: Key) -> str:
    """The key as an opaque URL-safe string (datetimes as ISO text)."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str | None, *kinds: type) -> Key | None:
    """The key a cursor of ours carries, each part of the given type; None without a cursor;
    BadRequest for anything else (edited, truncated, from another list)."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
        if not isinstance(parts, list) or len(parts) != len(kinds):
            raise ValueError
        return tuple(_typed(part, kind) for part, kind in zip(parts, kinds))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("That cursor is not valid: ask for the first page again.") from None


def _typed(value: Any, kind: type) -> Any:
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str) and "\x00" not in value:
        return value
    raise ValueError


def page(model: type[M], rows: Sequence[Any], limit: int, key: Callable[[Any], Key]) -> Page[M]:
    """The page of `model`s made from `limit + 1` fetched rows, with the cursor of the next
    page (None when the extra row is missing: this is the last page)."""
    items = list(rows[:limit])
    more = len(rows) > limit and items
    return Page[model](items=[model.model_validate(row) for row in items],  # type: ignore[valid-type]
                       next_cursor=encode_cursor(key(items[-1])) if more else None)


def page_after(model: type[M], rows: Sequence[Any], limit: int, cursor: Key | None,
               key: Callable[[Any], Key]) -> Page[M]:
    """Paginate a short list a service returns whole (a user's projects, prompts or secret
    names) in the order of `key`, ascending: the rows after `cursor`, then as page()."""
    after = sorted((row for row in rows if cursor is None or key(row) > cursor), key=key)
    return page(model, after, limit, key)


class PageRequest:
    """The `?limit=` and `?cursor=` of a list route (a dependency: see `Paging`), and the two
    ways a route turns a service's rows into a page."""

    def __init__(self, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> None:
        self.limit, self.cursor = limit, cursor

    def keyset(self, model: type[M], list_rows: Callable[..., Sequence[Any]],
               key: Callable[[Any], Key], *kinds: type, before: str = "before",
               oldest_first: bool = False) -> Page[M]:
        """A page of a list the service filters by keyset: `list_rows(session, limit=,
        <before>=)` is called in one session with limit + 1 and the cursor's key (its only part
        when the key has one; None on the first page). `oldest_first`: the service returns the
        rows it found oldest first, the page lists them newest first."""
        decoded = decode_cursor(self.cursor, *kinds)
        after = decoded[0] if decoded is not None and len(kinds) == 1 else decoded
        with session_scope() as session:
            rows = list_rows(session, limit=self.limit + 1, **{before: after})
        return page(model, rows[::-1] if oldest_first else rows, self.limit, key)

    def whole(self, model: type[M], rows: Sequence[Any], key: Callable[[Any], Key],
              *kinds: type) -> Page[M]:
        """A page of a short list the service returned whole: as page_after()."""
        return page_after(model, rows, self.limit, decode_cursor(self.cursor, *kinds), key)


Paging = Annotated[PageRequest, Depends()]
