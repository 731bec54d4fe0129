"""Migration 0010 (users.tokens_valid_after) on SQLite and PostgreSQL: existing accounts keep
their sessions, and it goes back down cleanly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import alembic_config, get_engine, session_scope
from workflow_chat.services import accounts


def test_existing_accounts_keep_their_tokens_and_the_column_goes_back_down(database_url):
    url = database_url
    command.downgrade(alembic_config(url), "0009")
    with get_engine(url).begin() as db:
        db.execute(sa.text("INSERT INTO users (id, username, email, password_hash, created_at) "
                           "VALUES (5, 'old', 'old@example.com', 'x', CURRENT_TIMESTAMP)"))
    token = issue_token(5)
    command.upgrade(alembic_config(url), "head")
    with get_engine(url).connect() as db:
        assert db.execute(sa.text("SELECT tokens_valid_after FROM users")).all() == [(None,)]
    with session_scope(url) as session:
        assert accounts.user_id_for_token(session, token=token) == 5
    command.downgrade(alembic_config(url), "0009")
    columns = {c["name"] for c in sa.inspect(get_engine(url)).get_columns("users")}
    assert "tokens_valid_after" not in columns and "username" in columns
    command.upgrade(alembic_config(url), "head")
