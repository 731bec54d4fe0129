"""/credentials: the user's named secrets. Values are write-only: lists give names, a mask
and dates, never a value."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.schemas_common import NO_NUL, Page
from workflow_chat.api.schemas_credentials import CredentialCreate, CredentialPublic, CredentialValue
from workflow_chat.db import session_scope
from workflow_chat.services import credentials

router = APIRouter(prefix="/credentials", tags=["credentials"])
Name = Annotated[str, Path(min_length=1, max_length=credentials.MAX_NAME, pattern=NO_NUL)]


@router.get("", response_model=Page[CredentialPublic], responses=errors(400, 401, 422))
def list_credentials(user: CurrentUser, paging: Paging) -> Page[CredentialPublic]:
    """The user's secrets by name."""
    with session_scope() as session:
        rows = credentials.list_credentials(session, user_id=user.id)  # type: ignore[arg-type]
    return paging.whole(CredentialPublic, rows, lambda c: (c.name,), str)


@router.post("", status_code=201, response_model=CredentialPublic, responses=errors(400, 401, 409, 422))
def create_credential(body: CredentialCreate, user: CurrentUser, ip: ClientIP) -> CredentialPublic:
    """Store a new secret, encrypted; workflows use it as {{ secrets.NAME }}. 409 when the
    name is taken (PUT replaces a value)."""
    with session_scope() as session:
        summary = credentials.create_credential(session, user_id=user.id, name=body.name,  # type: ignore[arg-type]
                                                value=body.value.get_secret_value(), ip=ip)
    return CredentialPublic.model_validate(summary)


@router.put("/{name}", response_model=CredentialPublic, responses=errors(400, 401, 404, 422))
def replace_credential(name: Name, body: CredentialValue, user: CurrentUser,
                       ip: ClientIP) -> CredentialPublic:
    """Give an existing secret a new value."""
    with session_scope() as session:
        summary = credentials.replace_value(session, user_id=user.id, name=name,  # type: ignore[arg-type]
                                            value=body.value.get_secret_value(), ip=ip)
    return CredentialPublic.model_validate(summary)


@router.delete("/{name}", status_code=204, response_class=Response, responses=errors(401, 404, 422))
def delete_credential(name: Name, user: CurrentUser, ip: ClientIP) -> Response:
    with session_scope() as session:
        credentials.delete_credential(session, user_id=user.id, name=name, ip=ip)  # type: ignore[arg-type]
    return Response(status_code=204)
