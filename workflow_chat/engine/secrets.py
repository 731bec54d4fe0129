"""Secrets by name for a run: `{{ secrets.NAME }}` reads the environment variable WFC_SECRET_NAME.

Only that prefix is reachable, so a workflow can never read DATABASE_URL, JWT_SECRET or an LLM
key. Every value handed out is remembered, and `redact` replaces those values in anything
before it is stored, logged or shown (outputs, error messages).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from workflow_chat.engine.context import ConnectorError

PREFIX = "WFC_SECRET_"
MASK = "••••"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Secrets:
    """Resolves secret names for one run (or one node) and remembers what it revealed.

    Callers may rely on: `get` returns the value or raises ConnectorError (not retryable) whose
    message names the secret and never holds a value; `redact` never mutates its argument.
    """

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if env is None else env
        # Each revealed value, with the spellings it takes inside a URL.
        self._revealed: set[str] = set()

    def get(self, name: str) -> str:
        """The value of secret `name` (environment variable WFC_SECRET_<name>)."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConnectorError(f"{name!r} is not a valid secret name", retryable=False)
        value = self._env.get(PREFIX + name, "")
        # An empty variable counts as unset (`WFC_SECRET_X=` in a .env file means "not set").
        if not value:
            raise ConnectorError(
                f"secret {name} is not set (set the environment variable {PREFIX}{name})",
                retryable=False,
            )
        self._remember(value)
        return value

    def _remember(self, value: str) -> None:
        # A secret put into a URL comes back percent-encoded in errors and echoed requests.
        self._revealed.update({value, quote(value, safe=""), quote_plus(value)})

    def redact(self, obj: Any) -> Any:
        """A deep copy of `obj` (dicts, lists, tuples, strings; other values as they are) with
        every revealed secret value replaced by MASK, in keys as well as values."""
        # Longest first, so a value that contains another secret is masked whole.
        values = sorted(self._revealed, key=len, reverse=True)
        return _walk(obj, values)


def _mask(text: str, values: list[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


def _walk(obj: Any, values: list[str]) -> Any:
    if isinstance(obj, str):
        return _mask(obj, values)
    if isinstance(obj, dict):
        return {_walk(k, values): _walk(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(item, values) for item in obj]
    if isinstance(obj, tuple):
        return tuple(_walk(item, values) for item in obj)
    return obj


def redact_message(secrets: Any, message: str) -> str:
    """`message` with the run's secrets masked; `secrets` may be None (nothing revealed)."""
    return secrets.redact(message) if secrets is not None else message


def redact_error(secrets: Any, error: ConnectorError) -> ConnectorError:
    """The same error with the run's secrets masked in its message."""
    return ConnectorError(redact_message(secrets, error.message),
                          retryable=error.retryable, retry_after=error.retry_after)
