"""Engine, sessions and migrations; no Reflex here so the API and workers share it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from workflow_chat.settings import database_url

ROOT = Path(__file__).resolve().parent.parent
# A pooled PostgreSQL connection idle for longer than this is pinged before use. One used more
# recently is almost surely alive, and pinging every checkout (pool_pre_ping) cost about 10 % of
# the event loop under load (a round trip per session). A server restart while connections are
# hot fails the requests in flight; the first failure invalidates the whole pool.
IDLE_PING_SECONDS = 5.0


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the page read while a message is written; foreign keys make cascades real.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def get_engine(url: str | None = None) -> sa.Engine:
    """One engine per URL for the life of the process (DATABASE_URL when none is given)."""
    return _engine_for(url or database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    engine = sa.create_engine(url, pool_size=10, max_overflow=20)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: sa.Engine) -> None:
    """Ping a connection on checkout only if it sat in the pool for IDLE_PING_SECONDS; a dead
    one is replaced (the pool retries on DisconnectionError), as pool_pre_ping would."""

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
            return  # a brand-new connection, or one used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise sa.exc.DisconnectionError(str(exc)) from exc


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def migrate(url: str | None = None) -> None:
    """Apply pending migrations (idempotent; run at start-up and by tests). Backend workers
    starting together take turns: on PostgreSQL through an advisory lock (alembic/env.py), on
    SQLite through a lock file beside the database."""
    from alembic import command

    url = url or database_url()
    with _sqlite_migration_lock(url):
        command.upgrade(alembic_config(url), "head")


@contextmanager
def _sqlite_migration_lock(url: str) -> Iterator[None]:
    path = sa.make_url(url).database if url.startswith("sqlite") else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield
