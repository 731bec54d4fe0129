"""`python -m workflow_chat.create_user --username U --email E`: an administrator creates an
account, e.g. while ALLOW_REGISTRATION=0 keeps sign-ups closed.

The password is asked twice at a prompt, or read from the first line of standard input when
that is not a terminal (`printf '%s\\n' "$PASSWORD" | python -m workflow_chat.create_user …`),
never from the command line, where `ps` and the shell history would show it. The account
follows the same rules as one made on the register page (services/accounts.register).
Pending migrations are applied first, so this works before the app's first start. Exit status:
0 created, 1 refused (the message says why), 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from workflow_chat.db import migrate, session_scope
from workflow_chat.services import accounts
from workflow_chat.services.errors import ServiceError


class PasswordMismatch(ValueError):
    pass


def read_password(stdin: TextIO) -> str:
    """From a prompt (twice) on a terminal, else the first line of `stdin` without its newline."""
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise PasswordMismatch("The two passwords do not match.")
        return first
    return stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workflow_chat.create_user",
                                     description="Create an account (even when registration is closed).")
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", required=True)
    args = parser.parse_args(argv)
    try:
        password = read_password(sys.stdin)
    except PasswordMismatch as exc:
        print(exc, file=sys.stderr)
        return 1
    migrate()
    try:
        with session_scope() as session:
            user = accounts.register(session, username=args.username, email=args.email,
                                     password=password, by_admin=True)
            print(f"created user {user.username} (id {user.id}, {user.email})")
    except ServiceError as exc:
        print(f"not created: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
