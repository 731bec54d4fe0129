"""The app: pages, routes and start-up tasks. Behaviour lives in state/, services/ and below."""

import logging

import reflex as rx

from workflow_chat import routes
from workflow_chat.api.app import api
from workflow_chat.db import migrate
from workflow_chat.engine.launch import engine_lifespan
from workflow_chat.pages import settings as settings_page
from workflow_chat.pages.auth_pages import login_page, register_page
from workflow_chat.pages.workspace import ON_LOAD, workspace_page
from workflow_chat.state.auth_forms import AuthFormState
from workflow_chat.vault.keys import master_keys

logging.basicConfig(level=logging.WARNING)

app = rx.App(stylesheets=["/styles.css"], api_transformer=api)
app.add_page(workspace_page, route=routes.WORKSPACE, title="Workflow Chat", on_load=ON_LOAD)
app.add_page(login_page, route=routes.LOGIN, title="Log in · Workflow Chat",
             on_load=AuthFormState.redirect_if_signed_in)
app.add_page(register_page, route=routes.REGISTER, title="Sign up · Workflow Chat",
             on_load=AuthFormState.redirect_if_signed_in)
app.add_page(settings_page.settings_page, route=routes.SETTINGS, title="Settings · Workflow Chat",
             on_load=settings_page.ON_LOAD)
# Apply pending migrations before the backend serves its first event.
app.register_lifespan_task(migrate)
# Production without WFC_MASTER_KEYS refuses to start, not at the first secret saved.
app.register_lifespan_task(master_keys)
# The run engine lives as long as the backend: started after the migrations, stopped with it.
app.register_lifespan_task(engine_lifespan)
