"""Database tables (SQLModel). Services are the only code that reads or writes them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

Role = Literal["user", "assistant", "system"]
VersionSource = Literal["ai", "edit", "import", "restore"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=40, sa_column_kwargs={"unique": True}, index=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=True)
    password_hash: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    # Tokens issued before this second are refused (password change, "log out other
    # sessions"); whole seconds because a JWT's iat is. None: every unexpired token is good.
    tokens_valid_after: datetime | None = Field(default=None)


class Project(SQLModel, table=True):
    """A user's folder of chats with its own system prompts (services/projects.py). Each user
    has exactly one default project (partial unique index), which cannot be deleted."""

    __tablename__ = "projects"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "name", name="uq_project_user_name"),
        sa.Index("uq_project_user_default", "user_id", unique=True,
                 sqlite_where=sa.text("is_default"), postgresql_where=sa.text("is_default")),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    is_default: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SystemPrompt(SQLModel, table=True):
    """A named system prompt of a project (services/prompts.py). At most one per project is
    active (partial unique index); its text goes to the model in every turn of the project's
    chats."""

    __tablename__ = "system_prompts"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "name", name="uq_system_prompt_project_name"),
        sa.Index("uq_system_prompt_project_active", "project_id", unique=True,
                 sqlite_where=sa.text("is_active"), postgresql_where=sa.text("is_active")),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="projects.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    text: str = Field(sa_column=Column(sa.Text, nullable=False))
    is_active: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Chat(SQLModel, table=True):
    __tablename__ = "chats"
    __table_args__ = (sa.Index("ix_chats_user_updated", "user_id", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    # Every chat sits in one of its owner's projects (the default one unless chosen).
    project_id: int = Field(foreign_key="projects.id", index=True, ondelete="CASCADE")
    title: str = Field(default="New chat", max_length=120)
    # True until the user renames the chat: the first message may then replace the title.
    title_is_default: bool = Field(default=True)
    # The version shown and edited now; undo/redo move it along the versions' parent links.
    current_version_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_chat_id_id", "chat_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)
    content: str = Field(sa_column=Column(sa.Text, nullable=False))
    workflow_data: dict[str, Any] | None = Field(default=None, sa_column=Column(sa.JSON))
    workflow_version_id: int | None = Field(default=None, index=True)
    # "error" marks an assistant turn that failed and can be retried; "offline" a planner answer.
    status: str = Field(default="ok", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class WorkflowVersion(SQLModel, table=True):
    __tablename__ = "workflow_versions"
    __table_args__ = (sa.UniqueConstraint("chat_id", "number", name="uq_version_chat_number"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id", index=True, ondelete="CASCADE")
    number: int
    graph: dict[str, Any] = Field(sa_column=Column(sa.JSON, nullable=False))
    source: str = Field(default="ai", max_length=16)
    message_id: int | None = Field(
        default=None, foreign_key="messages.id", index=True, ondelete="SET NULL"
    )
    # The version this one was made from: undo goes to the parent, redo to the newest child.
    parent_id: int | None = Field(default=None, index=True)
    # What a manual edit changed ("config:fetch", "move:a,b"): repeats within seconds coalesce.
    gesture: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class Run(SQLModel, table=True):
    """One execution of a chat's workflow. The id is also the DBOS workflow id, so a trigger
    that fires twice with the same id starts one run, not two."""

    __tablename__ = "runs"
    __table_args__ = (sa.Index("ix_runs_chat_created", "chat_id", "created_at"),)

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    chat_id: int = Field(foreign_key="chats.id", index=True, ondelete="CASCADE")
    workflow_version_id: int = Field(index=True)
    version_number: int = Field(default=0)
    trigger: str = Field(max_length=16)  # manual | schedule | webhook
    status: str = Field(default="queued", max_length=16)  # queued|running|succeeded|failed|cancelled
    input: Any = Field(default=None, sa_column=Column(sa.JSON))
    error: str | None = Field(default=None, sa_column=Column(sa.Text))
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class NodeRun(SQLModel, table=True):
    """What one node of a run received, returned or raised. Secrets are redacted before storing."""

    __tablename__ = "node_runs"
    __table_args__ = (sa.UniqueConstraint("run_id", "node_id", name="uq_node_run"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="runs.id", index=True, ondelete="CASCADE", max_length=64)
    node_id: str = Field(max_length=64)
    status: str = Field(max_length=16)  # pending|running|succeeded|failed|skipped|cancelled
    attempts: int = Field(default=0)
    input: Any = Field(default=None, sa_column=Column(sa.JSON))
    output: Any = Field(default=None, sa_column=Column(sa.JSON))
    error: str | None = Field(default=None, sa_column=Column(sa.Text))
    started_at: datetime | None = None
    finished_at: datetime | None = None


class WorkflowTrigger(SQLModel, table=True):
    """How a chat's workflow may start besides the Run button: its schedule switch and the
    secret token of its webhook URL."""

    __tablename__ = "workflow_triggers"

    chat_id: int = Field(foreign_key="chats.id", primary_key=True, ondelete="CASCADE")
    schedule_enabled: bool = Field(default=False)
    webhook_token: str = Field(max_length=64, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class EngineExecutor(SQLModel, table=True):
    """A live engine process (app or worker) and when it last said so. A process whose
    heartbeat is stale is dead: a live one takes over its runs."""

    __tablename__ = "engine_executors"

    executor_id: str = Field(primary_key=True, max_length=128)
    heartbeat_at: datetime = Field(default_factory=utcnow, index=True)


class Credential(SQLModel, table=True):
    """A user's named secret, encrypted with the vault's master keys (workflow_chat/vault).
    The value is only ever decrypted for a run of its owner; pages see the name and dates."""

    __tablename__ = "credentials"
    __table_args__ = (sa.UniqueConstraint("user_id", "name", name="uq_credential_user_name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str = Field(max_length=64)
    ciphertext: str = Field(sa_column=Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Refreshed at most once a minute per secret (services/credentials.py), so a busy
    # workflow does not turn every run into a write.
    last_used_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """Who did what, when and from where (services/audit.py). Targets and details carry names
    and numbers only: never a secret's value, a password or a message's text."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_user_created", "user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # None for a failed login under a name no account has; rows go with their user.
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")
    action: str = Field(max_length=40)  # "login.success", "chat.delete", "secret.use", …
    target: str | None = Field(default=None, max_length=200)  # "chat:12", "secret:SLACK_URL"
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(sa.JSON))
    ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class UserSettings(SQLModel, table=True):
    """A user's preferences (services/user_settings.py): colour theme and the language model
    their chats use. No row means the defaults: the system's theme, the server's model. The
    model's API key is not here: it is the vault secret LLM_API_KEY (encrypted)."""

    __tablename__ = "user_settings"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    theme: str = Field(default="system", max_length=16)  # light | dark | system
    # None: the server's model (environment); else openai | anthropic with the fields below.
    llm_provider: str | None = Field(default=None, max_length=16)
    llm_model: str | None = Field(default=None, max_length=200)
    llm_base_url: str | None = Field(default=None, max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)
