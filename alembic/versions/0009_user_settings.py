"""user settings: theme and per-user language model

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 19:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('user_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('llm_provider', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('llm_model', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('llm_base_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('user_settings')
