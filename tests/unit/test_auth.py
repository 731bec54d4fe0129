"""Passwords and tokens: the rules a user meets when registering and staying signed in."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt
import pytest

from workflow_chat.auth import passwords, tokens
from workflow_chat.auth.passwords import (
    BCRYPT_COST,
    PasswordRejected,
    hash_password,
    verify_password,
)


@pytest.fixture(autouse=True)
def _fresh_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKFLOW_CHAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JWT_SECRET", raising=False)
    tokens.signing_secret.cache_clear()
    yield
    tokens.signing_secret.cache_clear()


def test_hash_uses_cost_12_and_verifies():
    hashed = hash_password("correct horse")
    assert bcrypt.checkpw(b"correct horse", hashed.encode())
    assert hashed.startswith(f"$2b${BCRYPT_COST}$")
    assert verify_password("correct horse", hashed)
    assert not verify_password("wrong horse!", hashed)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("short", "at least 8"), ("x" * 73, "at most 72 bytes"), ("é" * 37, "yours is 74")],
)
def test_password_length_rules_have_clear_messages(password, fragment):
    with pytest.raises(PasswordRejected, match=fragment):
        hash_password(password, cost=4)


def test_exactly_72_bytes_is_accepted():
    assert verify_password("a" * 72, hash_password("a" * 72, cost=4))


def test_verify_never_raises_on_garbage():
    assert not verify_password("whatever1", "not-a-hash")
    assert not verify_password("x" * 100, hash_password("password1", cost=4))


def test_token_round_trip_and_expiry():
    token = tokens.issue_token(42)
    assert tokens.read_token(token).user_id == 42
    expired = tokens.issue_token(42, lifetime=timedelta(seconds=-1))
    assert tokens.read_token(expired) is None


def test_a_token_carries_when_it_was_issued_in_whole_seconds():
    moment = datetime(2025, 11, 26, 1, 2, 3, 987654, tzinfo=timezone.utc)
    claims = tokens.read_token(tokens.issue_token(7, issued_at=moment, lifetime=timedelta(days=3650)))
    assert claims == tokens.TokenClaims(user_id=7, issued_at=int(moment.timestamp()))
    assert tokens.whole_second(moment) == moment.replace(microsecond=0)


def test_tokens_issued_before_the_cut_off_second_are_revoked():
    cut_off = datetime(2026, 11, 26, 1, 2, 3, tzinfo=timezone.utc)
    at = lambda seconds: tokens.TokenClaims(  # noqa: E731
        user_id=1, issued_at=int(cut_off.timestamp()) + seconds)
    assert tokens.issued_before(at(-1), cut_off)
    # The same second stays valid: the revoking tab's new token is issued at the cut-off.
    assert not tokens.issued_before(at(0), cut_off) and not tokens.issued_before(at(1), cut_off)
    assert not tokens.issued_before(at(-1000), None)  # never revoked
    assert tokens.issued_before(at(-1), cut_off.replace(tzinfo=None))  # a naive UTC value


def test_forged_and_malformed_tokens_are_refused():
    forged = jwt.encode({"sub": "1", "exp": 9999999999}, "another-secret-" * 3, algorithm="HS256")
    assert tokens.read_token(forged) is None
    none_alg = jwt.encode({"sub": "1", "exp": 9999999999}, None, algorithm="none")
    assert tokens.read_token(none_alg) is None
    assert tokens.read_token("garbage") is None
    assert tokens.read_token("") is None


def test_default_lifetime_is_seven_days_and_settable(monkeypatch):
    assert tokens.token_lifetime() == timedelta(days=7)
    monkeypatch.setenv("JWT_EXPIRY_DAYS", "0.5")
    assert tokens.token_lifetime() == timedelta(hours=12)


def test_development_secret_is_generated_once_and_kept(tmp_path, caplog):
    first = tokens.signing_secret()
    tokens.signing_secret.cache_clear()
    assert tokens.signing_secret() == first
    assert (tmp_path / "jwt_secret").read_text().strip() == first
    assert len(first) >= 40


def test_workers_starting_together_share_one_development_secret(tmp_path):
    """Several backend workers start at once: a token one signs must pass in the others."""
    import subprocess
    import sys

    code = "from workflow_chat.auth import tokens; print(tokens.signing_secret())"
    workers = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
               for _ in range(4)]
    secrets = {worker.communicate(timeout=60)[0].strip() for worker in workers}
    assert len(secrets) == 1 and (tmp_path / "jwt_secret").read_text().strip() in secrets


def test_environment_secret_wins(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "s" * 48)
    assert tokens.signing_secret() == "s" * 48


def test_production_refuses_to_run_without_secret(monkeypatch):
    monkeypatch.setenv("WORKFLOW_CHAT_ENV", "production")
    with pytest.raises(tokens.SecretMissing):
        tokens.signing_secret()


def test_a_burst_of_password_checks_takes_turns_on_the_hashing_slots(monkeypatch):
    """Sign-ins arriving together must not run one bcrypt per thread: bcrypt releases the GIL,
    so they would take every core from the event loop serving the chats."""
    stored = bcrypt.hashpw(b"correct horse", bcrypt.gensalt(10)).decode()
    real_checkpw, lock = bcrypt.checkpw, threading.Lock()
    running, most = 0, 0

    def counting_checkpw(password: bytes, hashed: bytes) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.02)  # widen the window in which a second check would overlap
            return real_checkpw(password, hashed)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(bcrypt, "checkpw", counting_checkpw)
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(
        passwords.verify_password("correct horse", stored))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 6
    assert most == passwords._hashing_slots() < 6
