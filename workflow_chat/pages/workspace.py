"""The workspace: chat list (20%), chat window (30%), workflow canvas (50%)."""

from __future__ import annotations

import reflex as rx

from workflow_chat import routes
from workflow_chat.components.activity_dialog import activity_dialog
from workflow_chat.components.canvas_pane import canvas_pane
from workflow_chat.components.chat_list import chat_list
from workflow_chat.components.chat_window import chat_window
from workflow_chat.components.secrets_dialog import secrets_dialog
from workflow_chat.components.settings_theme_sync import theme_sync
from workflow_chat.state.projects import ProjectsState
from workflow_chat.state.session import SessionState
from workflow_chat.state.settings import ThemeState
from workflow_chat.state.workspace import WorkspaceState


def _account() -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=SessionState.username[:2].upper(), size="2", radius="full"),
        rx.text(SessionState.username, size="2", weight="medium", class_name="truncate",
                flex="1", data_testid="username"),
        activity_dialog(),
        secrets_dialog(),
        rx.tooltip(
            rx.icon_button(rx.icon("settings", size=16), variant="ghost", color_scheme="gray",
                           on_click=rx.redirect(routes.SETTINGS), aria_label="Settings",
                           data_testid="open-settings"),
            content="Settings",
        ),
        theme_sync(),
        rx.tooltip(
            rx.icon_button(rx.icon("log-out", size=16), variant="ghost", color_scheme="gray",
                           on_click=WorkspaceState.logout, aria_label="Log out",
                           data_testid="logout"),
            content="Log out",
        ),
        align="center",
        width="100%",
        padding="12px",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def workspace_page() -> rx.Component:
    return rx.cond(
        SessionState.signed_in,
        rx.hstack(
            rx.vstack(
                rx.box(chat_list(), flex="1", min_height="0", width="100%"),
                _account(),
                width="20%",
                min_width="220px",
                height="100%",
                spacing="0",
                border_right=f"1px solid {rx.color('gray', 4)}",
                background=rx.color("gray", 1),
                data_testid="pane-chats",
            ),
            rx.box(chat_window(), width="30%", min_width="320px", height="100%",
                   border_right=f"1px solid {rx.color('gray', 4)}", data_testid="pane-chat"),
            rx.box(canvas_pane(), flex="1", height="100%", min_width="0",
                   data_testid="pane-canvas"),
            spacing="0",
            height="100vh",
            width="100vw",
            overflow="hidden",
        ),
        rx.center(rx.spinner(size="3"), height="100vh"),
    )


# The projects load after the workspace: load() has checked the user and reset a foreign tab.
ON_LOAD = [WorkspaceState.load, ProjectsState.load_projects, ThemeState.load_theme]
