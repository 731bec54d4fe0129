"""Migrations upgrade existing data, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from workflow_chat.db import alembic_config, get_engine


@pytest.fixture
def empty_database(database_url):
    command.downgrade(alembic_config(database_url), "base")
    return database_url


def test_history_pointers_are_filled_for_chats_made_before_undo(empty_database):
    url = empty_database
    command.upgrade(alembic_config(url), "0001")
    graph = '{"schema": 1, "nodes": [], "edges": []}'
    with get_engine(url).begin() as db:
        db.execute(sa.text("INSERT INTO users (id, username, email, password_hash, created_at) "
                           "VALUES (1, 'old', 'old@example.com', 'x', CURRENT_TIMESTAMP)"))
        db.execute(sa.text("INSERT INTO chats (id, user_id, title, title_is_default, created_at, "
                           "updated_at) VALUES (7, 1, 't', false, CURRENT_TIMESTAMP, "
                           "CURRENT_TIMESTAMP)"))
        for vid, number in ((10, 1), (11, 2)):
            db.execute(sa.text("INSERT INTO workflow_versions (id, chat_id, number, graph, source, "
                               "created_at) VALUES (:id, 7, :n, :g, 'ai', CURRENT_TIMESTAMP)"),
                       {"id": vid, "n": number, "g": graph})
    command.upgrade(alembic_config(url), "head")
    with get_engine(url).connect() as db:
        assert db.execute(sa.text("SELECT current_version_id FROM chats")).scalar() == 11
        parents = dict(db.execute(sa.text("SELECT id, parent_id FROM workflow_versions")).all())
    assert parents == {10: None, 11: 10}
