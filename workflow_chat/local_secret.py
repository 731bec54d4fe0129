"""A generated development secret kept in a file of the data directory (the JWT signing secret,
the vault's master key), created once even when several processes start together."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


class EmptySecretFile(RuntimeError):
    pass


def read_or_create(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    """(the secret in `path`, whether this call created it). O_EXCL: two processes starting
    together end up with the same secret, never with one each."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path), False
    with os.fdopen(fd, "w") as file:
        file.write(make() + "\n")
    return _read(path), True


def _read(path: Path) -> str:
    # A process that lost the O_EXCL race may read before the winner has written.
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.01)
    raise EmptySecretFile(f"the secret file {path} is empty")
