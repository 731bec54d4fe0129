"""A stable executor id per worker process on this host. DBOS recovers a run only with the
executor id that started it, so a restarted worker must come back under its old id: each
process holds a lock on the lowest free slot file, and a restart takes the slot a dead one
left."""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from typing import IO

MAX_SLOTS = 64
_held: list[IO[str]] = []  # open lock files live as long as the process


def claim_slot(directory: Path, role: str) -> str:
    """`<role>-<host>-<n>` for the lowest n whose lock file no live process holds."""
    directory.mkdir(parents=True, exist_ok=True)
    for slot in range(MAX_SLOTS):
        handle = open(directory / f"{role}-slot-{slot}.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        handle.seek(0), handle.truncate(), handle.write(str(os.getpid())), handle.flush()
        _held.append(handle)
        return f"{role}-{socket.gethostname()}-{slot}"
    raise RuntimeError(f"all {MAX_SLOTS} {role} slots in {directory} are taken")
