"""Master keys of the credentials vault: WFC_MASTER_KEYS, newest first.

`WFC_MASTER_KEYS` holds comma-separated Fernet keys (`python -m workflow_chat.vault new-key`
prints one). The first key encrypts; every key decrypts, which is what lets a rotation run
while the app keeps serving (see workflow_chat/vault/__main__.py).

Without the variable, development generates one key into the data directory (mode 0600) and
says so in a warning; production (WORKFLOW_CHAT_ENV=production) refuses: a generated key
would be lost with the machine, and every stored secret with it. No message here ever holds a
key.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet

from workflow_chat.local_secret import EmptySecretFile, read_or_create
from workflow_chat.settings import data_dir, is_production

log = logging.getLogger(__name__)
ENV_NAME = "WFC_MASTER_KEYS"
DEV_KEY_FILE = "master_key"


class MasterKeyError(RuntimeError):
    """No usable master key: missing in production, or a configured key is malformed."""


def new_key() -> str:
    """A fresh random Fernet key (url-safe base64 text)."""
    return Fernet.generate_key().decode()


def master_keys() -> list[str]:
    """The configured keys, newest first (never empty). Raises MasterKeyError when none is
    configured in production, or when one is not a valid Fernet key (the message says which
    position, never the key)."""
    configured = os.environ.get(ENV_NAME, "")
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        if is_production():
            raise MasterKeyError(
                f"{ENV_NAME} must be set when WORKFLOW_CHAT_ENV=production "
                f"(generate a key with `python -m workflow_chat.vault new-key`)"
            )
        keys = [_development_key(data_dir() / DEV_KEY_FILE)]
    for position, key in enumerate(keys, start=1):
        _check(key, position)
    return keys


def _check(key: str, position: int) -> None:
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise MasterKeyError(
            f"key {position} of {ENV_NAME} is not a Fernet key (32 bytes in url-safe base64, "
            f"44 characters)"
        ) from None


def _development_key(path: Path) -> str:
    """The key kept in `path`, created on first use (by one process only)."""
    try:
        key, created = read_or_create(path, new_key)
    except EmptySecretFile as error:
        raise MasterKeyError(f"the development master key file {path} is empty") from error
    if created:
        log.warning(
            "%s is not set: generated a development master key in %s. Stored secrets can only be "
            "read with it; set %s in production.", ENV_NAME, path, ENV_NAME,
        )
    return key


