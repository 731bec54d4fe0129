"""deploy/backup_sqlite.py copies the app database and the run engine's database while they are
being written, and each copy opens whole; with PostgreSQL it refuses and names pg_dump."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

from tests.support.accounts import make_user
from workflow_chat.db import get_engine, migrate, session_scope

ROOT = Path(__file__).resolve().parents[2]


def _backup(dest: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "deploy" / "backup_sqlite.py"), str(dest)],
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True,
                          timeout=60)


def test_backup_copies_both_databases_consistently_while_users_are_added(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    app_url = f"sqlite:///{data / 'workflow_chat.sqlite'}"
    migrate(app_url)
    with closing(sqlite3.connect(data / "dbos.sqlite")) as dbos:  # stands in for DBOS's file
        dbos.execute("PRAGMA journal_mode=WAL")
        dbos.execute("CREATE TABLE workflow_status (id TEXT PRIMARY KEY)")
        dbos.execute("INSERT INTO workflow_status VALUES ('run-1')")
        dbos.commit()
    stop = threading.Event()

    def keep_writing() -> None:  # the running app, adding users the whole time
        while not stop.is_set():
            with session_scope(app_url) as session:
                make_user(session)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        done = _backup(tmp_path / "backup", WORKFLOW_CHAT_DATA_DIR=str(data))
    finally:
        stop.set()
        writer.join()
        get_engine(app_url).dispose()
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "backup" / "workflow_chat.sqlite"
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] >= 1
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    with closing(sqlite3.connect(tmp_path / "backup" / "dbos.sqlite")) as db:
        assert db.execute("SELECT id FROM workflow_status").fetchall() == [("run-1",)]
    assert not list((tmp_path / "backup").glob("*.partial"))


def test_backup_refuses_postgresql_and_a_missing_file(tmp_path: Path) -> None:
    done = _backup(tmp_path / "b1", WORKFLOW_CHAT_DATA_DIR=str(tmp_path),
                   DATABASE_URL="postgresql+psycopg://127.0.0.1/test")
    assert done.returncode == 2 and "pg_dump" in done.stderr
    done = _backup(tmp_path / "b2", WORKFLOW_CHAT_DATA_DIR=str(tmp_path / "empty"))
    assert done.returncode == 1 and "no database at" in done.stderr
    assert not (tmp_path / "empty" / "workflow_chat.sqlite").exists()
