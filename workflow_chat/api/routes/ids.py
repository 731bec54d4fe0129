"""Path and query ids: positive and within the databases' INTEGER (PostgreSQL's is 32-bit), so
a huge number is a 422 from the schema rather than an overflow error in the database."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from workflow_chat.api.schemas_common import NO_NUL

MAX_ID = 2**31 - 1

ChatId = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
PromptId = Annotated[int, Path(ge=1, le=MAX_ID)]
RunId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
ProjectFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this project's chats")]
