"""Secrets by name for a run: `{{ secrets.NAME }}` reads the run owner's vault first
(services/credentials.py, encrypted at rest), then the environment variable WFC_SECRET_NAME.

Only that prefix is reachable in the environment, so a workflow can never read DATABASE_URL,
JWT_SECRET or an LLM key, and the vault is read for the run's own owner only. The owner is
looked up from the run id when a template first asks for a secret: a run that uses none costs
no query. Every value handed out is remembered, and `redact` replaces those values in anything
before it is stored, logged or shown (outputs, error messages).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from workflow_chat.db import get_engine, session_scope
from workflow_chat.engine.bounded import BoundedDict
from workflow_chat.engine.context import ConnectorError
from workflow_chat.models import Run
from workflow_chat.services import credentials
from workflow_chat.services.errors import NotFound
from workflow_chat.vault.cipher import DecryptError
from workflow_chat.vault.keys import MasterKeyError

PREFIX = "WFC_SECRET_"
MASK = "••••"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Secrets:
    """Resolves secret names for one run (or one node) and remembers what it revealed.

    Callers may rely on: `get` returns the value or raises ConnectorError (not retryable, except
    when the database did not answer) whose message names the secret and never holds a value;
    `redact` never mutates its argument. Without `run_id` only the environment is read.
    """

    def __init__(self, env: Mapping[str, str] | None = None, *, run_id: str | None = None) -> None:
        self._env = os.environ if env is None else env
        self._run_id = run_id
        # Values already read for this node: a template is rendered for the shown input and
        # again by the connector, and each attempt renders it anew.
        self._known: dict[str, str] = {}
        # Each revealed value, with the spellings it takes inside a URL.
        self._revealed: set[str] = set()

    def get(self, name: str) -> str:
        """The value of secret `name`: the run owner's vault, else WFC_SECRET_<name>."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConnectorError(f"{name!r} is not a valid secret name", retryable=False)
        value = self._known.get(name) or self._from_vault(name) or self._env.get(PREFIX + name, "")
        # An empty variable counts as unset (`WFC_SECRET_X=` in a .env file means "not set").
        if not value:
            where = "add it under Secrets, or " if self._run_id is not None else ""
            raise ConnectorError(
                f"secret {name} is not set ({where}set the environment variable {PREFIX}{name})",
                retryable=False,
            )
        self._known[name] = value
        self._remember(value)
        return value

    def owner_id(self) -> int | None:
        """The run owner's user id (None without a run): their vault, their chosen model."""
        return _run_owner(self._run_id) if self._run_id is not None else None

    def _from_vault(self, name: str) -> str | None:
        if self._run_id is None:
            return None
        try:
            owner = _run_owner(self._run_id)
            if owner is None:
                return None
            with session_scope() as session:
                return credentials.resolve(session, user_id=owner, name=name)
        except NotFound:
            return None
        except (DecryptError, MasterKeyError) as error:
            raise ConnectorError(f"secret {name}: {error}", retryable=False) from None
        except SQLAlchemyError:
            raise ConnectorError(f"secret {name} could not be read: the database did not answer",
                                 retryable=True) from None

    def _remember(self, value: str) -> None:
        # A secret put into a URL comes back percent-encoded in errors and echoed requests.
        self._revealed.update({value, quote(value, safe=""), quote_plus(value)})

    @property
    def revealed(self) -> bool:
        """Whether any value was handed out (else redact has nothing to mask)."""
        return bool(self._revealed)

    def redact(self, obj: Any) -> Any:
        """A deep copy of `obj` (dicts, lists, tuples, strings; other values as they are) with
        every revealed secret value replaced by MASK, in keys as well as values."""
        # Longest first, so a value that contains another secret is masked whole.
        values = sorted(self._revealed, key=len, reverse=True)
        return _walk(obj, values)


# Run id -> owner: a run's owner never changes, so each run looks it up once per process.
_owners: BoundedDict[str, int] = BoundedDict(limit=10_000)


def remember_owner(run_id: str, user_id: int) -> None:
    """For a run whose row is written only when it ends (engine/inline.py)."""
    _owners[run_id] = user_id


def _run_owner(run_id: str) -> int | None:
    """The user id of the run's owner (None for a run id with no row)."""
    owner = _owners.get(run_id)
    if owner is None:
        with get_engine().connect() as conn:
            owner = conn.execute(sa.select(Run.user_id).where(Run.id == run_id)).scalar()
        if owner is not None:
            _owners[run_id] = owner
    return owner


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
