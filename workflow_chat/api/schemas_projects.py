"""Request and response bodies of projects and their system prompts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from workflow_chat.api.schemas_common import NO_NUL, UtcDatetime
from workflow_chat.services.projects import MAX_NAME
from workflow_chat.services.prompts import MAX_TEXT


class ProjectCreate(BaseModel):
    name: str = Field(max_length=MAX_NAME, pattern=NO_NUL)


class ProjectUpdate(BaseModel):
    name: str = Field(max_length=MAX_NAME, pattern=NO_NUL)


class ProjectPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    is_default: bool = Field(description="Holds chats made without a project; cannot be deleted")
    chat_count: int
    created_at: UtcDatetime
    updated_at: UtcDatetime


class ProjectDeleted(BaseModel):
    deleted_chats: int = Field(description="How many chats went with the project")


class PromptCreate(BaseModel):
    name: str = Field(max_length=MAX_NAME, pattern=NO_NUL)
    text: str = Field(max_length=MAX_TEXT, pattern=NO_NUL)
    active: bool = Field(default=False, description="Make it the project's active prompt")


class PromptUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=MAX_NAME, pattern=NO_NUL, description="Unchanged when omitted")
    text: str | None = Field(default=None, max_length=MAX_TEXT, pattern=NO_NUL, description="Unchanged when omitted")


class PromptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    name: str
    text: str
    is_active: bool = Field(description="Sent to the model in every turn of the project's chats")
    created_at: UtcDatetime
    updated_at: UtcDatetime
