"""Webhook triggers: POST /api/v1/hooks/{chat_id}/{token} starts a run of the chat's workflow
with the request body as the trigger's output. Anything but the right token answers 404."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from workflow_chat.api.errors import error_response, errors
from workflow_chat.api.routes.ids import ChatId
from workflow_chat.services import runs, triggers

router = APIRouter(tags=["webhooks"])
MAX_BODY_BYTES = 1_000_000
WAIT_SECONDS = 30.0
Token = Annotated[str, Path(max_length=200)]


def _payload(raw: bytes, content_type: str) -> Any:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            raise ValueError("The body is not valid JSON.") from None
    return raw.decode("utf-8", errors="replace")


class WebhookAccepted(BaseModel):
    run_id: str
    status: str = Field(description="running, or queued for a worker")


class WebhookResult(WebhookAccepted):
    error: str | None = None
    output: Any = Field(default=None, description="The last node's output")


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": WebhookResult, "description": "With ?wait=true: the finished run"},
    **errors(400, 404, 413, 422),
}


async def webhook(chat_id: ChatId, token: Token, request: Request, wait: bool = False) -> JSONResponse:
    """202 {"run_id", "status"} once the run is stored and started. With ?wait=true the answer
    waits for the run (up to 30 s) and carries its final output: a workflow can respond."""
    declared = request.headers.get("content-length", "")
    declared = int(declared) if declared.isdigit() else 0
    raw = b"" if declared > MAX_BODY_BYTES else await request.body()  # refuse before reading
    if max(declared, len(raw)) > MAX_BODY_BYTES:
        return error_response(413, f"The body is larger than {MAX_BODY_BYTES:,} bytes.")
    try:
        payload = _payload(raw, request.headers.get("content-type", ""))
    except ValueError as error:
        return error_response(400, str(error))
    summary = await triggers.start_webhook_run(
        chat_id=chat_id, token=token, method=request.method, payload=payload,
        ip=request.client.host if request.client else None,
    )
    if not wait:
        return JSONResponse({"run_id": summary.id, "status": summary.status}, 202)
    result = await runs.wait_for_result(summary.id, timeout=WAIT_SECONDS)
    if result is None:
        return JSONResponse({"run_id": summary.id, "status": "running"}, 202)
    return JSONResponse({"run_id": summary.id, **result}, 200)


for _method in ("POST", "PUT", "GET"):  # one operation per method: unique operation ids
    router.add_api_route("/hooks/{chat_id}/{token}", webhook, methods=[_method], status_code=202,
                         response_model=WebhookAccepted, responses=RESPONSES,
                         operation_id=f"webhook_{_method.lower()}", response_class=JSONResponse)
