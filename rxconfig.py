"""Reflex configuration: values come from the environment so one build serves every deployment."""

import os

import reflex as rx

from workflow_chat.settings import data_dir, database_url

# The SQLite file's -wal/-shm companions change on every write: keep them out of hot reload.
os.environ.setdefault("REFLEX_HOT_RELOAD_EXCLUDE_PATHS", str(data_dir()))

# Where the browser finds the backend comes from Reflex's own REFLEX_API_URL (set it for a static
# export); left unset, Reflex follows --backend-port.
config = rx.Config(
    app_name="workflow_chat",
    db_url=database_url(),
    show_built_with_reflex=False,
    telemetry_enabled=False,
    state_manager_mode="redis" if os.environ.get("REFLEX_REDIS_URL") else "memory",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium")
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
