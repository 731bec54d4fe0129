"""Request and response bodies of credentials: values go in, never out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from workflow_chat.api.schemas_common import NO_NUL, UtcDatetime
from workflow_chat.services.credentials import MAX_NAME, MAX_VALUE


class CredentialCreate(BaseModel):
    name: str = Field(max_length=MAX_NAME, pattern=NO_NUL, description="UPPER_SNAKE, e.g. SLACK_WEBHOOK_URL")
    value: SecretStr = Field(max_length=MAX_VALUE, description="Write-only: never returned")


class CredentialValue(BaseModel):
    value: SecretStr = Field(max_length=MAX_VALUE, description="Write-only: never returned")


class CredentialPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    hint: str = Field(description="A mask; the value is never sent back")
    created_at: UtcDatetime
    updated_at: UtcDatetime
    last_used_at: UtcDatetime | None
