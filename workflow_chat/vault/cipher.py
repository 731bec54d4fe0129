"""Encrypt and decrypt secret values with MultiFernet under the master keys (keys.py).

Fernet is AES-128-CBC with an HMAC-SHA256 tag: a token that was changed, or that none of the
keys made, is refused rather than decrypted into garbage. Tokens are ASCII text, stored as is.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from workflow_chat.vault.keys import master_keys


class DecryptError(RuntimeError):
    """A stored value could not be decrypted: its key is no longer configured, or it was
    altered. The message never holds the token or a key."""

    def __init__(self) -> None:
        super().__init__(
            "a stored secret cannot be decrypted with the configured master keys "
            "(was a key removed before `python -m workflow_chat.vault rotate` finished?)"
        )


@lru_cache(maxsize=4)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher(keys: list[str] | None = None) -> MultiFernet:
    """The MultiFernet for `keys` (the configured master keys when None): the first key
    encrypts, all decrypt. The environment is read on every call, so a changed key list takes
    effect without a restart of whatever calls this."""
    return _cipher_for(tuple(master_keys() if keys is None else keys))


def encrypt(value: str, *, keys: list[str] | None = None) -> str:
    return cipher(keys).encrypt(value.encode()).decode()


def decrypt(token: str, *, keys: list[str] | None = None) -> str:
    try:
        return cipher(keys).decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptError() from None


def reencrypt(token: str, *, keys: list[str] | None = None) -> str:
    """The same value encrypted under the first key (MultiFernet.rotate)."""
    try:
        return cipher(keys).rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptError() from None
