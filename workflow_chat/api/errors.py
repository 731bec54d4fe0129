"""Errors as JSON {"error": {"code", "message"}}, from the services' own error types."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from workflow_chat.services.errors import Conflict, Invalid, NotFound, ServiceError, Unauthorized

STATUS = {NotFound: 404, Conflict: 409, Invalid: 422, Unauthorized: 401}
CODES = {404: "not_found", 409: "conflict", 422: "invalid", 401: "unauthorized", 400: "bad_request",
         413: "too_large"}


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": CODES.get(status, "error"), "message": message}}, status)


async def _service_error(_: Request, error: Exception) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    return error_response(status, str(error))


def install_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(ServiceError, _service_error)
