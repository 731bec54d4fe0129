"""Alembic environment: the app's SQLModel metadata, batch mode so SQLite can alter tables."""

from alembic import context
from sqlmodel import SQLModel

import workflow_chat.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from workflow_chat.db import get_engine
from workflow_chat.settings import database_url

config = context.config
# Any constant, the same in every process that migrates this database.
MIGRATION_LOCK_KEY = 0x77666301
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = get_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.connect() as connection:
        # Batch mode rebuilds a SQLite table by copy, drop and rename; with foreign keys on,
        # the drop would cascade-delete every row that references the table (a chat's
        # messages). The pragma only takes effect outside a transaction, so it comes first.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # Every backend worker migrates at start-up: the first one through applies
                    # the migrations, the others wait here, then find nothing left to do. The
                    # lock ends with the transaction and covers workers on other hosts too.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:  # the connection goes back to the pool: cascades must work again
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
