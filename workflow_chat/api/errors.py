"""Errors as JSON {"error": {"code", "message"}}: from the services' own error types, from
FastAPI's request validation and from Starlette's HTTP errors (unknown path, wrong method), so
a client meets one shape whatever went wrong."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from workflow_chat.api.schemas_common import ErrorBody
from workflow_chat.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServiceError,
    Unauthorized,
)


class BadRequest(ServiceError):
    """The request is malformed in a way the schema cannot say (a cursor that is not ours)."""


STATUS: dict[type[ServiceError], int] = {
    NotFound: 404, Conflict: 409, Invalid: 422, Unauthorized: 401, RateLimited: 429,
    BadRequest: 400, Forbidden: 403,
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "rate_limited"}
DESCRIPTIONS = {400: "Malformed request", 401: "Missing, forged or expired bearer token",
                403: "Not allowed", 404: "Not found (or not yours)", 409: "Conflict",
                413: "Body too large", 422: "Invalid input", 429: "Too many requests"}
MAX_DETAILS = 20
API_PREFIX = "/api/"


def error_response(
    status: int, message: str, *, details: list[str] | None = None,
    headers: dict[str, str] | None = None, code: str | None = None,
) -> JSONResponse:
    """`code` overrides the status's generic one when a client may act on the reason."""
    error: dict[str, Any] = {"code": code or CODES.get(status, "error"), "message": message}
    if details:
        error["details"] = details[:MAX_DETAILS]
    return JSONResponse({"error": error}, status, headers=headers)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that may answer these error statuses (so the OpenAPI
    document lists them, with the error body and, for 429, the Retry-After header)."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        declared[status] = {"model": ErrorBody, "description": DESCRIPTIONS.get(status, "Error")}
        if status == 429:
            declared[status]["headers"] = {"Retry-After": {
                "description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}
        if status == 401:
            declared[status]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return declared


async def _service_error(_: Request, error: Exception) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    headers: dict[str, str] = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    details = error.errors if isinstance(error, Invalid) and len(error.errors) > 1 else None
    code = error.code if isinstance(error, Forbidden) else None
    return error_response(status, str(error), details=details, headers=headers or None, code=code)


def _where(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location if part != "body") or "body"


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, "The body is not valid JSON.")
    lines = [f"{_where(tuple(p.get('loc', ())))}: {p.get('msg', 'invalid')}" for p in problems]
    message = lines[0] if lines else "The request is not valid."
    return error_response(422, message, details=lines if len(lines) > 1 else None)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if not request.url.path.startswith(API_PREFIX):  # Reflex's own endpoints keep their shape
        return await http_exception_handler(request, error)
    return error_response(error.status_code, str(error.detail), headers=error.headers)


def install_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(ServiceError, _service_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
