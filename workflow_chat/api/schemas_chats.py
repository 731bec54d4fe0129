"""Request and response bodies of chats, their messages and workflow versions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workflow_chat.api.routes.ids import MAX_ID
from workflow_chat.api.schemas_common import NO_NUL, UtcDatetime
from workflow_chat.services.chats import MAX_TITLE
from workflow_chat.services.messages import MAX_MESSAGE_CHARS

GRAPH_DESCRIPTION = ('The workflow graph: {"schema": 1, "name", "description", "nodes": [...], '
                     '"edges": [...]} (see the README)')


class ChatCreate(BaseModel):
    title: str | None = Field(default=None, max_length=MAX_TITLE, pattern=NO_NUL,
                              description="Taken from the first message when omitted")
    project_id: int | None = Field(default=None, ge=1, le=MAX_ID,
                                   description="The user's default project when omitted")


class ChatUpdate(BaseModel):
    title: str | None = Field(default=None, max_length=MAX_TITLE, pattern=NO_NUL,
                              description="Unchanged when omitted")
    project_id: int | None = Field(default=None, ge=1, le=MAX_ID,
                                   description="Move the chat into this project of the user's "
                                               "(404 when it is not theirs); unchanged when omitted")


class ChatPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    project_id: int
    updated_at: UtcDatetime


class MessageCreate(BaseModel):
    content: str = Field(max_length=MAX_MESSAGE_CHARS, pattern=NO_NUL)


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    role: str = Field(description="user | assistant")
    content: str
    status: str = Field(description="ok | offline (answered by the offline planner) | error")
    workflow_version_id: int | None = Field(description="The version this answer produced")
    created_at: UtcDatetime


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    source: str = Field(description="ai | edit | import | restore")
    message_id: int | None
    parent_id: int | None
    created_at: UtcDatetime


class VersionDetail(VersionPublic):
    graph: dict[str, Any] = Field(description=GRAPH_DESCRIPTION)


class TurnPublic(BaseModel):
    ok: bool = Field(description="False when the model failed: `answer` then says why "
                                 "(status error) and posting again retries")
    question: MessagePublic
    answer: MessagePublic
    version: VersionDetail | None = Field(description="The new workflow version, if the answer made one")
