"""version history pointer and parents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:54:41.485708
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_version_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('workflow_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_workflow_versions_parent_id'), ['parent_id'], unique=False)

    # Existing chats: the newest version is current and each version's parent is the one before.
    op.execute(
        "UPDATE chats SET current_version_id = (SELECT v.id FROM workflow_versions v "
        "WHERE v.chat_id = chats.id ORDER BY v.number DESC LIMIT 1)"
    )
    op.execute(
        "UPDATE workflow_versions SET parent_id = (SELECT p.id FROM workflow_versions p "
        "WHERE p.chat_id = workflow_versions.chat_id AND p.number = workflow_versions.number - 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table('workflow_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workflow_versions_parent_id'))
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_column('current_version_id')

