"""projects and system prompts; every chat in a project

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00

Every existing user gets a default project and their chats move into it, so chats.project_id
can become NOT NULL with a foreign key (batch mode: SQLite rebuilds the table).
"""
from collections.abc import Sequence
from datetime import datetime, timezone

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_NAME = "Default"  # services/projects.py DEFAULT_NAME
CHATS_PROJECT_FK = "fk_chats_project_id_projects"


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'name', name='uq_project_user_name')
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_project_user_default', ['user_id'], unique=True,
                              sqlite_where=sa.text('is_default'),
                              postgresql_where=sa.text('is_default'))

    op.create_table('system_prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'name', name='uq_system_prompt_project_name')
    )
    with op.batch_alter_table('system_prompts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_system_prompts_project_id'), ['project_id'], unique=False)
        batch_op.create_index('uq_system_prompt_project_active', ['project_id'], unique=True,
                              sqlite_where=sa.text('is_active'),
                              postgresql_where=sa.text('is_active'))

    _backfill_default_projects()

    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.alter_column('project_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(CHATS_PROJECT_FK, 'projects', ['project_id'], ['id'],
                                    ondelete='CASCADE')


def _backfill_default_projects() -> None:
    """One default project per user, and every chat into its owner's default project."""
    now = datetime.now(timezone.utc)
    users = sa.table('users', sa.column('id', sa.Integer()))
    projects = sa.table(
        'projects', sa.column('id', sa.Integer()), sa.column('user_id', sa.Integer()),
        sa.column('name', sa.String()), sa.column('is_default', sa.Boolean()),
        sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    chats = sa.table('chats', sa.column('user_id', sa.Integer()),
                     sa.column('project_id', sa.Integer()))
    stamp = sa.literal(now, sqlmodel.sql.sqltypes.UTCDateTime())
    op.execute(projects.insert().from_select(
        ['user_id', 'name', 'is_default', 'created_at', 'updated_at'],
        sa.select(users.c.id, sa.literal(DEFAULT_NAME, sa.String()), sa.true(), stamp, stamp),
    ))
    default_of_owner = (
        sa.select(projects.c.id)
        .where(projects.c.user_id == chats.c.user_id, projects.c.is_default == sa.true())
        .scalar_subquery()
    )
    op.execute(chats.update().where(chats.c.project_id.is_(None)).values(project_id=default_of_owner))


def downgrade() -> None:
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_constraint(CHATS_PROJECT_FK, type_='foreignkey')
        batch_op.alter_column('project_id', existing_type=sa.Integer(), nullable=True)
    op.execute(sa.text('UPDATE chats SET project_id = NULL'))

    with op.batch_alter_table('system_prompts', schema=None) as batch_op:
        batch_op.drop_index('uq_system_prompt_project_active')
        batch_op.drop_index(batch_op.f('ix_system_prompts_project_id'))
    op.drop_table('system_prompts')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('uq_project_user_default')
        batch_op.drop_index(batch_op.f('ix_projects_user_id'))
    op.drop_table('projects')
