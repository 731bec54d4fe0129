"""Undo, redo and the version list above the canvas; previews of an earlier turn's graph."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.inspector import InspectorState
from workflow_chat.components.time_label import time_label
from workflow_chat.db import session_scope
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.workspace import WorkspaceState
from workflow_chat.state.workspace_items import VersionItem


class VersionsState(WorkspaceState):
    preview_number: int = 0

    def _move(self, direction: str):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending or not self.current_chat_id:
            return
        try:
            with session_scope() as session:
                workflow_service.step(
                    session, user_id=user_id, chat_id=self.current_chat_id, direction=direction
                )
        except ServiceError as exc:
            return rx.toast.info(str(exc))
        self.preview_version_id, self.highlight_ids = 0, []
        self._reload_graph(user_id)

    @rx.event
    def undo(self):
        return self._move("back")

    @rx.event
    def redo(self):
        return self._move("forward")

    @rx.event
    def preview(self, version_id: int):
        """Show an older version on the canvas without changing anything."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                version = workflow_service.get_version(
                    session, user_id=user_id, chat_id=self.current_chat_id, version_id=version_id
                )
                graph, number = version.graph, version.number
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        if any(v.id == version_id and v.current for v in self.versions):
            return VersionsState.back_to_current
        self.highlight_ids = []
        self.preview_version_id, self.preview_number = version_id, number
        self._show_graph(graph, number)

    @rx.event
    def show_message_graph(self, message_id: int):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        try:
            with session_scope() as session:
                version_id = workflow_service.graph_of_message(
                    session, user_id=user_id, message_id=message_id
                ).id
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        return VersionsState.preview(version_id)

    @rx.event
    def back_to_current(self):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.preview_version_id = 0
        self._reload_graph(user_id)

    @rx.event
    def restore_preview(self):
        user_id, version_id = self._user_id(), self.preview_version_id
        if user_id is None:
            return self._signed_out()
        if not version_id or self.sending:
            return
        try:
            with session_scope() as session:
                workflow_service.restore(
                    session, user_id=user_id, chat_id=self.current_chat_id, version_id=version_id
                )
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.preview_version_id = 0
        self._reload_graph(user_id)
        return rx.toast.success(f"Restored version {self.preview_number} as the current one.")


def _version_row(version: VersionItem) -> rx.Component:
    return rx.menu.item(
        rx.hstack(
            rx.text("v", version.number, weight="medium", size="2", min_width="32px"),
            rx.text(version.label, size="2", flex="1"),
            time_label(version.when),
            rx.cond(version.current, rx.icon("check", size=14, color=rx.color("accent", 9)),
                    rx.box(width="14px")),
            align="center",
            spacing="2",
            width="100%",
        ),
        on_click=VersionsState.preview(version.id),
        min_width="240px",
        data_testid="version-row",
    )


def version_controls() -> rx.Component:
    return rx.hstack(
        rx.tooltip(
            rx.icon_button(rx.icon("undo-2", size=16), variant="soft", color_scheme="gray",
                           size="2", aria_label="Undo", on_click=[VersionsState.undo, InspectorState.refresh],
                           disabled=~VersionsState.can_undo | VersionsState.sending,
                           data_testid="undo"),
            content="Undo (Ctrl+Z)",
        ),
        rx.tooltip(
            rx.icon_button(rx.icon("redo-2", size=16), variant="soft", color_scheme="gray",
                           size="2", aria_label="Redo", on_click=[VersionsState.redo, InspectorState.refresh],
                           disabled=~VersionsState.can_redo | VersionsState.sending,
                           data_testid="redo"),
            content="Redo (Ctrl+Shift+Z)",
        ),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(rx.icon("history", size=14), "v", VersionsState.version_number,
                          rx.icon("chevron-down", size=14), variant="soft", color_scheme="gray",
                          size="2", data_testid="versions"),
            ),
            rx.menu.content(rx.foreach(VersionsState.versions, _version_row), align="end"),
        ),
        spacing="2",
        align="center",
    )


def preview_banner() -> rx.Component:
    return rx.cond(
        VersionsState.preview_version_id != 0,
        rx.hstack(
            rx.icon("eye", size=16),
            rx.text("Viewing version ", VersionsState.preview_number, " (not the current one)",
                    size="2", weight="medium"),
            rx.spacer(),
            rx.button("Back to current", size="1", variant="soft",
                      on_click=[VersionsState.back_to_current, InspectorState.refresh], data_testid="back-to-current"),
            rx.button(rx.icon("rotate-ccw", size=14), "Restore this version", size="1",
                      on_click=[VersionsState.restore_preview, InspectorState.refresh], data_testid="restore-version"),
            align="center",
            spacing="2",
            width="100%",
            padding="8px 16px",
            background=rx.color("amber", 3),
            border_bottom=f"1px solid {rx.color('amber', 6)}",
            data_testid="preview-banner",
        ),
    )
