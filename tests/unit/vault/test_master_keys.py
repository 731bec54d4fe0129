"""Master keys: read from WFC_MASTER_KEYS newest first, generated into the data directory in
development (0600, with a warning), refused in production; no message ever holds a key."""

from __future__ import annotations

import logging
import stat

import pytest
from cryptography.fernet import Fernet

from workflow_chat.vault import cipher
from workflow_chat.vault.keys import DEV_KEY_FILE, MasterKeyError, master_keys, new_key


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKFLOW_CHAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WFC_MASTER_KEYS", raising=False)
    monkeypatch.delenv("WORKFLOW_CHAT_ENV", raising=False)


def test_keys_come_from_the_environment_newest_first(monkeypatch, tmp_path):
    newest, older = new_key(), new_key()
    monkeypatch.setenv("WFC_MASTER_KEYS", f" {newest} ,{older},")
    assert master_keys() == [newest, older]
    assert not (tmp_path / DEV_KEY_FILE).exists()


def test_the_first_key_encrypts_and_every_key_decrypts(monkeypatch):
    newest, older = new_key(), new_key()
    under_older = Fernet(older).encrypt(b"old value").decode()
    monkeypatch.setenv("WFC_MASTER_KEYS", f"{newest},{older}")
    assert cipher.decrypt(under_older) == "old value"
    token = cipher.encrypt("new value")
    assert Fernet(newest).decrypt(token.encode()) == b"new value"
    assert token != "new value" and "new value" not in token


def test_a_malformed_key_is_refused_without_being_echoed(monkeypatch):
    monkeypatch.setenv("WFC_MASTER_KEYS", f"{new_key()},not-a-real-key-but-secret")
    with pytest.raises(MasterKeyError) as caught:
        master_keys()
    assert "key 2 of WFC_MASTER_KEYS is not a Fernet key" in str(caught.value)
    assert "not-a-real-key-but-secret" not in str(caught.value)


def test_development_generates_one_key_file_readable_by_the_owner_only(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="workflow_chat.vault.keys"):
        first = master_keys()
        again = master_keys()
    path = tmp_path / DEV_KEY_FILE
    assert first == again and len(first) == 1
    assert path.read_text().strip() == first[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # generated once, said once
    assert "generated a development master key" in warnings[0].getMessage()
    assert first[0] not in caplog.text


def test_development_key_survives_a_restart_and_still_decrypts(tmp_path):
    token = cipher.encrypt("kept")
    assert cipher.decrypt(token, keys=[(tmp_path / DEV_KEY_FILE).read_text().strip()]) == "kept"


def test_production_refuses_to_start_without_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKFLOW_CHAT_ENV", "production")
    with pytest.raises(MasterKeyError, match="WFC_MASTER_KEYS must be set when WORKFLOW_CHAT_ENV=production"):
        master_keys()
    with pytest.raises(MasterKeyError):
        cipher.encrypt("value")
    assert not (tmp_path / DEV_KEY_FILE).exists()  # nothing generated behind the operator's back


def test_production_with_keys_uses_them(monkeypatch):
    key = new_key()
    monkeypatch.setenv("WORKFLOW_CHAT_ENV", "production")
    monkeypatch.setenv("WFC_MASTER_KEYS", key)
    assert master_keys() == [key]
