"""Request and response bodies of /auth."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from workflow_chat.api.schemas_common import NO_NUL, UtcDatetime
from workflow_chat.auth.passwords import MAX_BYTES


class UserCreate(BaseModel):
    username: str = Field(max_length=40, pattern=NO_NUL, description="3–40 letters, digits, dots, dashes or underscores")
    email: str = Field(max_length=254, pattern=NO_NUL)
    # Bytes are what bcrypt limits; the service says so clearly, the schema bounds characters.
    password: SecretStr = Field(max_length=MAX_BYTES, description=f"8–{MAX_BYTES} bytes (UTF-8)")


class LoginRequest(BaseModel):
    login: str = Field(max_length=254, pattern=NO_NUL, description="Username or email")
    password: SecretStr = Field(max_length=1024)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str
    created_at: UtcDatetime


class TokenPublic(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <token>`")
    token_type: str = Field(default="bearer")
    expires_in: int = Field(description="Seconds until the token expires")
