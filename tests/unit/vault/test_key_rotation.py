"""Rotation at the cipher level: re-encrypting under a new first key lets the old key go."""

from __future__ import annotations

import pytest

from workflow_chat.vault import cipher
from workflow_chat.vault.keys import new_key


def test_after_rotation_the_old_key_can_be_removed():
    old, new = new_key(), new_key()
    values = ["hunter2", "https://hooks.slack.example/T0/B0/xyz", "é ü ✓ long " * 50]
    stored = [cipher.encrypt(v, keys=[old]) for v in values]

    during = [new, old]  # step 1: the new key in front, the old one still there
    assert [cipher.decrypt(t, keys=during) for t in stored] == values  # the app keeps reading
    rotated = [cipher.reencrypt(t, keys=during) for t in stored]  # step 2: rotate

    assert [cipher.decrypt(t, keys=[new]) for t in rotated] == values  # step 3: old key gone
    for token in rotated:
        with pytest.raises(cipher.DecryptError):
            cipher.decrypt(token, keys=[old])
    with pytest.raises(cipher.DecryptError):  # a row missed by the rotation would say so
        cipher.decrypt(stored[0], keys=[new])


def test_a_tampered_or_foreign_token_is_refused_with_a_message_free_of_it():
    key = new_key()
    token = cipher.encrypt("value", keys=[key])
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    for bad in (tampered, cipher.encrypt("value", keys=[new_key()]), "not a token"):
        with pytest.raises(cipher.DecryptError) as caught:
            cipher.decrypt(bad, keys=[key])
        assert bad not in str(caught.value) and key not in str(caught.value)
