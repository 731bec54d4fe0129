"""`python deploy/backup_sqlite.py DEST_DIR`: consistent copies of the embedded SQLite databases,
taken while the app keeps running.

Copies the app database (accounts, chats, workflow versions, runs, encrypted secrets; DATABASE_URL
or <data>/workflow_chat.sqlite) and the run engine's checkpoints (DBOS_SYSTEM_DATABASE_URL or
<data>/dbos.sqlite) into DEST_DIR under their own names, through SQLite's online backup API, as
the sqlite3 shell's `.backup` does: `cp` of a database in WAL mode while it is written can give a
torn copy. Each copy is written to a temporary name, checked and then renamed, so DEST_DIR never
holds half a file. Runs in the container too (no sqlite3 shell there):
`docker exec wfc python deploy/backup_sqlite.py /data/backups/today`.

Exit status: 0 when both are copied, 1 when one is missing or its copy fails its check, 2 when
a database is not SQLite (use pg_dump).
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

# Run as a script from anywhere: the app's settings decide which files to copy.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow_chat.engine.settings import system_database_url  # noqa: E402
from workflow_chat.settings import database_url  # noqa: E402

SQLITE = "sqlite:///"


def backup(source: Path, dest: Path) -> None:
    """Copy `source` to `dest` page by page inside one read transaction (writers go on)."""
    if not source.is_file():  # connecting would create an empty database there
        raise FileNotFoundError(f"no database at {source} (is WORKFLOW_CHAT_DATA_DIR right?)")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as copy:
        src.backup(copy)
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise RuntimeError(f"the copy of {source} failed its check: {verdict}")
    partial.replace(dest)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    dest = Path(argv[0])
    urls = [database_url(), system_database_url()]
    if not all(url.startswith(SQLITE) for url in urls):
        print("a database is not SQLite: back up PostgreSQL with pg_dump (README: Deployment)",
              file=sys.stderr)
        return 2
    dest.mkdir(parents=True, exist_ok=True)
    for url in urls:
        source = Path(url.removeprefix(SQLITE))
        try:
            backup(source, dest / source.name)
        except (OSError, sqlite3.Error, RuntimeError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{source} -> {dest / source.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
