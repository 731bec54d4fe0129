"""Pooled PostgreSQL connections: a dropped one is replaced unseen, a busy one costs no ping."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL
from workflow_chat import db

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _backend_pid(url: str) -> int:
    with db.session_scope(url) as session:
        return session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(database_url, monkeypatch):
    first = _backend_pid(database_url)
    # The server ends the pooled connection (a restart, an idle timeout in between).
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # it has now been idle long enough
    assert _backend_pid(database_url) != first


def test_a_connection_used_a_moment_ago_is_not_pinged(database_url, monkeypatch):
    engine = db.get_engine(database_url)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    pids = {_backend_pid(database_url) for _ in range(5)}
    assert len(pids) == 1 and pings == []  # one pooled connection, reused without a round trip
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    _backend_pid(database_url)
    assert pings == [1]
