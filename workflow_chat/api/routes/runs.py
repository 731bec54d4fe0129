"""Runs: start one of a chat's current workflow, list a chat's runs, read one with the record
of every node, cancel one that is still going."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from fastapi import APIRouter, Body

from workflow_chat.api.auth import ClientIP, CurrentUser
from workflow_chat.api.errors import errors
from workflow_chat.api.pagination import Paging
from workflow_chat.api.routes.ids import ChatId, RunId
from workflow_chat.api.schemas_common import Page
from workflow_chat.api.schemas_runs import NodeRunPublic, RunCreate, RunDetailPublic, RunPublic
from workflow_chat.db import session_scope
from workflow_chat.services import runs

router = APIRouter(tags=["runs"])


def _public(summary: runs.RunSummary) -> RunPublic:
    return RunPublic.model_validate(summary)


@router.post("/chats/{chat_id}/runs", status_code=202, response_model=RunPublic,
             responses=errors(400, 401, 404, 422))
async def start_run(chat_id: ChatId, user: CurrentUser, ip: ClientIP,
                    body: RunCreate | None = Body(default=None)) -> RunPublic:
    """Start a run of the chat's current workflow, with `input` as the manual trigger's
    output; 202 once it is stored and handed to the engine (poll GET /runs/{id})."""
    summary = await runs.start_run(user_id=user.id, chat_id=chat_id, trigger="manual",  # type: ignore[arg-type]
                                   payload=body.input if body else None, ip=ip)
    return _public(summary)


@router.get("/chats/{chat_id}/runs", response_model=Page[RunPublic], responses=errors(400, 401, 404, 422))
def list_runs(chat_id: ChatId, user: CurrentUser, paging: Paging) -> Page[RunPublic]:
    """The chat's runs, newest first."""
    rows = partial(runs.list_runs, user_id=user.id, chat_id=chat_id)
    return paging.keyset(RunPublic, rows, lambda r: (r.created_at, r.id), datetime, str)


@router.get("/runs/{run_id}", response_model=RunDetailPublic, responses=errors(401, 404, 422))
def get_run(run_id: RunId, user: CurrentUser) -> RunDetailPublic:
    """The run with what each node received, returned or raised (secrets redacted)."""
    with session_scope() as session:
        detail = runs.get_run(session, user_id=user.id, run_id=run_id)  # type: ignore[arg-type]
    return RunDetailPublic(
        **_public(detail.run).model_dump(), input=detail.input,
        nodes=[NodeRunPublic.model_validate(n) for n in detail.nodes],
    )


@router.post("/runs/{run_id}/cancel", response_model=RunPublic, responses=errors(401, 404, 422))
async def cancel_run(run_id: RunId, user: CurrentUser) -> RunPublic:
    """Stop a queued or running run (a finished one is returned unchanged)."""
    return _public(await runs.cancel_run(user_id=user.id, run_id=run_id))  # type: ignore[arg-type]
