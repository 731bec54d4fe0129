"""The FastAPI app Reflex mounts its own backend into (rx.App(api_transformer=api))."""

from __future__ import annotations

from fastapi import FastAPI

from workflow_chat.api.errors import install_error_handlers
from workflow_chat.api.routes import health, hooks

api = FastAPI(title="workflow-chat", version="1", docs_url="/api/v1/docs", openapi_url="/api/v1/openapi.json")
install_error_handlers(api)
api.include_router(health.router, prefix="/api/v1")
api.include_router(hooks.router, prefix="/api/v1")
