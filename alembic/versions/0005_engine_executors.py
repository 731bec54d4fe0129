"""engine executors

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:35:34.076954
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('engine_executors',
    sa.Column('executor_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('executor_id')
    )
    with op.batch_alter_table('engine_executors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engine_executors_heartbeat_at'), ['heartbeat_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('engine_executors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_executors_heartbeat_at'))

    op.drop_table('engine_executors')
