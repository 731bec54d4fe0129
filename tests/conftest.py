"""Shared fixtures: a migrated database on SQLite and on the local PostgreSQL, created per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlmodel import Session

from workflow_chat.db import _engine_for, get_engine, migrate, session_scope

pytest_plugins = ["tests.support.fixtures", "tests.support.engine", "tests.support.http_peer"]

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://127.0.0.1:5432/postgres")


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh, migrated database; DATABASE_URL points at it for code that reads settings."""
    monkeypatch.setenv("WORKFLOW_CHAT_DATA_DIR", str(tmp_path / "data"))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
        monkeypatch.setenv("DATABASE_URL", url)
        migrate(url)
        yield url
        get_engine(url).dispose()
        return
    name = f"wc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url(name).replace("postgresql://", "postgresql+psycopg://")
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        migrate(url)
        yield url
    finally:
        get_engine(url).dispose()
        _engine_for.cache_clear()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with session_scope(database_url) as s:
        yield s
