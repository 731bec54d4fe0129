"""users.tokens_valid_after: tokens issued before it are refused

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 00:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: existing accounts keep every token they have until they revoke.
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('tokens_valid_after', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('tokens_valid_after')
