"""The settings page (/settings): profile, password, language model and theme, one card each."""

from __future__ import annotations

import reflex as rx

from workflow_chat import routes
from workflow_chat.components.settings_llm import settings_llm
from workflow_chat.components.settings_password import settings_password
from workflow_chat.components.settings_profile import settings_profile
from workflow_chat.components.settings_theme import settings_theme
from workflow_chat.components.settings_theme_sync import theme_sync
from workflow_chat.state.session import SessionState
from workflow_chat.state.settings import SettingsState


def _header() -> rx.Component:
    return rx.hstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text("Back to chats", size="2"),
                          align="center", spacing="1"),
                href=routes.WORKSPACE, data_testid="back-to-workspace"),
        rx.spacer(),
        rx.hstack(rx.icon("workflow", size=20, color=rx.color("accent", 9)),
                  rx.text("Workflow Chat", weight="medium", size="2"), align="center", spacing="2"),
        width="100%",
        align="center",
    )


def settings_page() -> rx.Component:
    return rx.fragment(
        theme_sync(),
        rx.cond(
            SessionState.signed_in,
            rx.box(
                rx.vstack(
                    _header(),
                    rx.heading("Settings", size="7", margin_top="8px"),
                    settings_profile(),
                    settings_password(),
                    settings_llm(),
                    settings_theme(),
                    spacing="4",
                    width="100%",
                    max_width="720px",
                    margin="0 auto",
                    padding="24px 16px 48px",
                ),
                # The page scrolls inside this box: styles.css fixes html and body to the window.
                height="100vh",
                overflow_y="auto",
                background=rx.color("gray", 2),
                data_testid="settings-page",
            ),
            rx.center(rx.spinner(size="3"), height="100vh"),
        ),
    )


ON_LOAD = SettingsState.load
