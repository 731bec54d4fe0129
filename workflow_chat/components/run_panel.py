"""Running the workflow: the Run button (and "Run with input…"), and the runs panel under the
canvas with the chat's run history or one run's view."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.run_view import ACTIVATE_ON_ENTER, run_view, status_badge
from workflow_chat.components.time_label import time_label
from workflow_chat.components.trigger_settings import TriggerState, trigger_chip
from workflow_chat.components.inspector import InspectorState
from workflow_chat.components.run_input import RunInputState, run_input_dialog
from workflow_chat.state.run_actions import RunActionsState
from workflow_chat.state.run_items import RunItem
from workflow_chat.state.runs import RunsState
from workflow_chat.state.workspace import WorkspaceState

_MONO = "var(--code-font-family, ui-monospace, monospace)"
# The canvas above shrinks or grows with the panel; React Flow keeps its viewport, so the graph
# would sit half hidden. Until the canvas reframes itself on a resize, press its fit button.
_REFIT = rx.call_script(
    "requestAnimationFrame(() => document.querySelector("
    "'[data-testid=canvas] .react-flow__controls-fitview')?.click())"
)
TRIGGER_ICONS = {"Manual": "play", "Schedule": "clock", "Webhook": "webhook"}


def run_button() -> rx.Component:
    """Run (with a menu for "Run with input…"); disabled, with a tooltip saying why, until the
    chat has a graph, and busy while the run it started is going."""
    blocked = ~WorkspaceState.has_graph
    busy = blocked | RunsState.run_open
    why = rx.cond(blocked, "Nothing to run yet: describe a workflow first",
                  rx.cond(RunsState.run_open, "The run is going: see it below",
                          "Run the workflow now"))
    return rx.hstack(
        rx.tooltip(
            rx.box(rx.button(
                rx.cond(RunsState.run_open, rx.spinner(size="1"), rx.icon("play", size=14)),
                rx.cond(RunsState.run_open, "Running", "Run"), size="2", color_scheme="grass",
                # The run view takes over the canvas clicks: the inspector would show stale data.
                on_click=[RunActionsState.start, InspectorState.close], disabled=busy,
                border_radius="var(--radius-2) 0 0 var(--radius-2)", data_testid="run-button")),
            content=why,
        ),
        rx.menu.root(
            rx.menu.trigger(rx.icon_button(
                rx.icon("chevron-down", size=14), size="2", color_scheme="grass",
                disabled=busy, aria_label="More ways to run",
                border_radius="0 var(--radius-2) var(--radius-2) 0",
                border_left="1px solid rgba(255,255,255,.35)", data_testid="run-menu"),
                disabled=busy),
            rx.menu.content(rx.menu.item(rx.icon("braces", size=14), "Run with input…",
                                         on_click=RunInputState.set_input_open(True),
                                         data_testid="run-with-input"), align="end"),
        ),
        run_input_dialog(),
        spacing="0", align="center",
    )


def _history_row(run: RunItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(status_badge(run.status)),
        rx.table.cell(rx.hstack(rx.icon(rx.match(run.trigger, *TRIGGER_ICONS.items(), "play"),
                                        size=13), rx.text(run.trigger, size="1"),
                                spacing="1", align="center")),
        rx.table.cell(time_label(run.when)),
        rx.table.cell(rx.text(rx.cond(run.duration != "", run.duration, "—"), size="1")),
        rx.table.cell(rx.text("v", run.version, " · ", rx.el.span(run.short, font_family=_MONO),
                              size="1", color_scheme="gray")),
        on_click=[RunsState.open_run(run.id), InspectorState.close], cursor="pointer", tab_index=0,
        custom_attrs={"onKeyDown": ACTIVATE_ON_ENTER},
        _hover={"background": rx.color("gray", 3)}, data_testid="run-row",
    )


def _history() -> rx.Component:
    return rx.cond(
        RunsState.runs.length() > 0,
        rx.scroll_area(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Status", "Trigger", "Started", "Duration", "Run")])),
                rx.table.body(rx.foreach(RunsState.runs, _history_row)),
                size="1", width="100%",
            ),
            type="hover", scrollbars="vertical", height="100%",
        ),
        rx.center(
            rx.vstack(rx.icon("history", size=22, color=rx.color("gray", 9)),
                      rx.text("No runs yet — press Run", size="2", color_scheme="gray"),
                      align="center", spacing="2"),
            height="100%", data_testid="runs-empty",
        ),
    )


def _bar() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("activity", size=14), "Runs",
            rx.icon(rx.cond(RunsState.panel_open, "chevron-down", "chevron-up"), size=14),
            size="1", variant="ghost", color_scheme="gray", on_click=RunsState.toggle_panel,
            aria_expanded=RunsState.panel_open, data_testid="runs-toggle",
        ),
        rx.cond((RunsState.run.id != "") & ~RunsState.panel_open, rx.hstack(
            status_badge(RunsState.run.status),
            rx.text("Run ", rx.el.span(RunsState.run.short, font_family=_MONO), size="1",
                    color_scheme="gray"),
            rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
                           aria_label="Hide the run's status", title="Hide the run's status",
                           on_click=RunsState.show_history, data_testid="run-hide"),
            spacing="2", align="center")),
        rx.spacer(),
        trigger_chip(),
        align="center", spacing="3", width="100%", height="40px", padding="0 12px",
        flex_shrink="0", border_top=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
    )


def runs_panel() -> rx.Component:
    """The bar under the canvas (Runs toggle, the shown run, the trigger) and, when open,
    the history or one run. Remounted per chat (its key) so its content follows the chat."""
    return rx.vstack(
        rx.box(key=WorkspaceState.current_chat_id, display="none",
               on_mount=[RunsState.sync_chat, TriggerState.load]),
        _bar(),
        rx.cond(RunsState.panel_open, rx.box(
            rx.cond(RunsState.tab == "run", run_view(), _history()),
            height="min(40vh, 360px)", min_height="240px", width="100%",
            background=rx.color("gray", 1), border_top=f"1px solid {rx.color('gray', 4)}",
            on_mount=_REFIT, on_unmount=_REFIT, data_testid="runs-panel",
        )),
        spacing="0", width="100%", flex_shrink="0",
    )
