"""Right pane: the open chat's workflow on the canvas (editable), or an empty state."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.flow_canvas import flow_canvas
from workflow_chat.components.import_export import import_export_buttons
from workflow_chat.components.inspector import InspectorState, inspector_panel
from workflow_chat.components.node_palette import add_step_menu, palette_strip, selection_actions
from workflow_chat.components.run_panel import run_button, runs_panel
from workflow_chat.components.version_bar import VersionsState, preview_banner, version_controls
from workflow_chat.state.editor import EditorState
from workflow_chat.state.runs import RunsState
from workflow_chat.state.workspace import WorkspaceState


def _header() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("workflow", size=18, color=rx.color("accent", 9), flex_shrink="0"),
            rx.text(rx.cond(WorkspaceState.has_graph, WorkspaceState.workflow_name, "Workflow"),
                    weight="medium", size="3", class_name="truncate",
                    data_testid="workflow-name"),
            align="center",
            spacing="2",
            min_width="0",
        ),
        rx.hstack(
            rx.cond(
                WorkspaceState.has_graph,
                rx.hstack(
                    # Wide screens only: below that the workflow's name needs the room.
                    rx.badge(WorkspaceState.nodes.length(), " steps", variant="outline",
                             color_scheme="gray",
                             display=rx.breakpoints(initial="none", xl="inline-flex")),
                    version_controls(),
                    rx.tooltip(
                        rx.icon_button(rx.icon("layout-grid", size=16), variant="soft",
                                       color_scheme="gray", size="2", aria_label="Auto-layout",
                                       on_click=WorkspaceState.relayout,
                                       data_testid="auto-layout"),
                        content="Tidy up (auto-layout)",
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            import_export_buttons(),
            rx.cond(WorkspaceState.current_chat_id != 0, add_step_menu()),
            run_button(),
            spacing="2",
            align="center",
            flex_shrink="0",
        ),
        justify="between",
        align="center",
        width="100%",
        padding="14px 16px",
        min_height="56px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(
                rx.icon("git-fork", size=32, color=rx.color("accent", 9)),
                padding="14px",
                border_radius="16px",
                background=rx.color("accent", 3),
            ),
            rx.heading("No workflow yet", size="4"),
            rx.text("Describe an automation in the chat and its graph is drawn here, or "
                    "start one yourself with Add step. You can drag, connect and delete steps.",
                    size="2", color_scheme="gray", align="center"),
            align="center",
            spacing="2",
            max_width="340px",
        ),
        flex="1",
        width="100%",
        data_testid="canvas-empty",
    )


def canvas_pane() -> rx.Component:
    return rx.vstack(
        _header(),
        preview_banner(),
        rx.cond(
            WorkspaceState.has_graph,
            rx.box(
                flow_canvas(
                    nodes=WorkspaceState.nodes,
                    edges=WorkspaceState.edges,
                    layout_nonce=WorkspaceState.layout_nonce,
                    hydrated=rx.State.is_hydrated,
                    editable=EditorState.can_edit,
                    # Auto-layout is no gesture: its positions are saved in place.
                    on_layout=WorkspaceState.save_positions,
                    on_node_drag_stop=EditorState.move,
                    on_connect=EditorState.connect,
                    on_delete=[EditorState.delete_selection, InspectorState.refresh],
                    on_selection_change=EditorState.select,
                    on_duplicate=EditorState.duplicate,
                    on_drop_kind=EditorState.add_dropped,
                    on_undo=[VersionsState.undo, InspectorState.refresh],
                    on_redo=[VersionsState.redo, InspectorState.refresh],
                    # The inspector, or the node's run record while a run is shown.
                    on_node_click=RunsState.node_click,
                ),
                palette_strip(),
                selection_actions(),
                inspector_panel(),
                flex="1",
                width="100%",
                min_height="0",
                position="relative",
                data_testid="canvas",
            ),
            _empty(),
        ),
        rx.cond(WorkspaceState.has_graph, runs_panel()),
        height="100%",
        spacing="0",
        width="100%",
        background=rx.color("gray", 2),
    )
