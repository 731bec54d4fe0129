"""The FastAPI app Reflex mounts its own backend into (rx.App(api_transformer=api)): the REST
API under /api/v1, its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from fastapi import FastAPI

from workflow_chat.api.errors import install_error_handlers
from workflow_chat.api.routes import (
    auth,
    chats,
    credentials,
    health,
    hooks,
    messages,
    projects,
    prompts,
    runs,
    versions,
)

PREFIX = "/api/v1"

api = FastAPI(title="workflow-chat", version="1", openapi_url=f"{PREFIX}/openapi.json",
              docs_url=f"{PREFIX}/docs", redoc_url=f"{PREFIX}/redoc",
              swagger_ui_oauth2_redirect_url=f"{PREFIX}/docs/oauth2-redirect",
              description="Describe automations in a chat, get workflow graphs, run them. "
                          "Send `Authorization: Bearer <token>` (from /auth/login) on every "
                          "route but register, login and health.")
install_error_handlers(api)
for module in (health, auth, projects, prompts, chats, messages, versions, runs, credentials, hooks):
    api.include_router(module.router, prefix=PREFIX)
