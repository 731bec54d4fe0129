"""Shapes every resource shares: the error body and a page of a list."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

Item = TypeVar("Item")


def _as_utc(value: datetime) -> datetime:
    # SQLite and PostgreSQL hand back naive datetimes for times the services stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# Text fields refuse NUL: PostgreSQL cannot store it, and no person types it.
NO_NUL = r"^[^\x00]*$"

# Every time the API sends is UTC with an explicit offset, whichever database it came from.
UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable kind: not_found, invalid, conflict, …")
    message: str = Field(description="A sentence fit to show the user")
    details: list[str] | None = Field(
        default=None, description="Every problem, when there are several (validation errors)")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Page(BaseModel, Generic[Item]):
    """One page of any list: every list route answers Page[XPublic], named Page_XPublic_ in
    the OpenAPI document."""

    items: list[Item]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page")
