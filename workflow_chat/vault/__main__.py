"""`python -m workflow_chat.vault {new-key | rotate | check}`: the vault's master keys.

Secrets are encrypted with the first key of WFC_MASTER_KEYS (comma-separated Fernet keys,
newest first); every key in the list can decrypt. To rotate without downtime:

1. Add a new key in front: `python -m workflow_chat.vault new-key` prints one; set
   WFC_MASTER_KEYS=NEW,OLD for every app and worker process and restart them one by one. From
   then on new and replaced secrets are written under NEW, and rows under OLD still read.
2. Run `python -m workflow_chat.vault rotate` once (same environment): it re-encrypts every
   row under NEW in small transactions while the app keeps serving, and prints how many.
3. `python -m workflow_chat.vault check` confirms that NEW alone opens every row. Then remove
   OLD (WFC_MASTER_KEYS=NEW) and restart the processes again.

Development without WFC_MASTER_KEYS uses the key generated in the data directory
(data/master_key): to rotate it, set WFC_MASTER_KEYS=NEW,<that file's key> and follow the same
steps. Exit status: 0 on success, 1 when some rows cannot be decrypted (keep the old keys), 2 on
a configuration error. Nothing here prints a secret value; only `new-key` prints a key.
"""

from __future__ import annotations

import argparse
import logging
import sys

from workflow_chat.db import session_scope
from workflow_chat.services import credentials
from workflow_chat.vault.keys import MasterKeyError, master_keys, new_key


def rotate() -> int:
    keys = master_keys()
    rotated, unreadable, after_id = 0, [], 0
    while True:
        with session_scope() as session:
            batch = credentials.rotate_batch(session, after_id=after_id, keys=keys)
        if batch is None:
            break
        rotated, after_id = rotated + batch.rotated, batch.last_id
        unreadable.extend(batch.unreadable)
    print(f"rotated {rotated} secret(s) to the first key of WFC_MASTER_KEYS")
    return _report_unreadable(unreadable, "none of the configured keys opens")


def check() -> int:
    keys = master_keys()
    with session_scope() as session:
        unreadable = credentials.unreadable_ids(session, keys=keys[:1])
    if not unreadable:
        print("every secret opens with the first key: the other keys can be removed")
    return _report_unreadable(unreadable, "the first key alone does not open")


def _report_unreadable(ids: list[int], what: str) -> int:
    if not ids:
        return 0
    shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
    print(f"{what} {len(ids)} secret(s) (credential ids {shown}): keep the old keys", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workflow_chat.vault",
                                     description="Master keys of the credentials vault.")
    parser.add_argument("command", choices=["new-key", "rotate", "check"],
                        help="new-key: print a fresh key; rotate: re-encrypt every secret under "
                             "the first key; check: whether the first key alone opens them all")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.command == "new-key":
        print(new_key())
        return 0
    try:
        return rotate() if args.command == "rotate" else check()
    except MasterKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
