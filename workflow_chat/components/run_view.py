"""One run: its header (status, trigger, time, Cancel), its steps, and the chosen step's record
(status, attempts, timing, input, output, error, and "ask the assistant to fix this")."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.time_label import time_label
from workflow_chat.state.run_actions import RunActionsState
from workflow_chat.state.run_items import StepItem
from workflow_chat.state.runs import RunsState

_MONO = "var(--code-font-family, ui-monospace, monospace)"
# Rows are focusable (Tab); Enter or Space opens one, as a click does, without a server event
# per key.
ACTIVATE_ON_ENTER = rx.Var(
    "((e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault();"
    " e.currentTarget.click(); } })"
)
# status: (label, colour scheme, icon)
STATUSES = {
    "queued": ("Queued", "gray", "clock"),
    "pending": ("Pending", "gray", "circle-dashed"),
    "running": ("Running", "blue", "loader-circle"),
    "succeeded": ("Succeeded", "grass", "circle-check"),
    "failed": ("Failed", "red", "circle-x"),
    "skipped": ("Skipped", "gray", "circle-slash"),
    "cancelled": ("Cancelled", "amber", "circle-stop"),
}


def status_badge(status: rx.Var[str], size: str = "1") -> rx.Component:
    def badge(key: str) -> rx.Component:
        label, scheme, icon = STATUSES[key]
        mark = rx.spinner(size="1") if key == "running" else rx.icon(icon, size=12)
        return rx.badge(mark, label, color_scheme=scheme, variant="soft", radius="full", size=size,
                        data_testid="status-badge", data_status=key)
    return rx.match(status, *[(key, badge(key)) for key in STATUSES],
                    rx.badge("Not run", color_scheme="gray", variant="outline", radius="full",
                             size=size, data_testid="status-badge", data_status="none"))


def _header() -> rx.Component:
    run = RunsState.run
    return rx.hstack(
        rx.icon_button(rx.icon("arrow-left", size=16), variant="ghost", color_scheme="gray",
                       size="1", aria_label="All runs", title="All runs",
                       on_click=RunsState.show_history, data_testid="runs-back"),
        status_badge(run.status, size="2"),
        rx.text("Run ", rx.el.span(run.short, font_family=_MONO), size="2", weight="medium"),
        rx.text("v", run.version, " · ", run.trigger, size="2", color_scheme="gray"),
        time_label(run.when),
        rx.cond(run.duration != "", rx.text("· ", run.duration, size="1", color_scheme="gray")),
        rx.spacer(),
        rx.cond(RunsState.run_open, rx.button(
            rx.icon("square", size=12), "Cancel", size="1", variant="soft", color_scheme="red",
            on_click=RunActionsState.cancel, data_testid="run-cancel")),
        rx.icon_button(rx.icon("refresh-cw", size=14), size="1", variant="ghost",
                       color_scheme="gray", aria_label="Refresh", title="Refresh",
                       on_click=RunsState.open_run(run.id)),
        align="center", spacing="2", width="100%", padding="8px 12px",
        border_bottom=f"1px solid {rx.color('gray', 4)}", data_testid="run-header",
    )


def _step_row(step: StepItem) -> rx.Component:
    chosen = RunsState.step_id == step.node_id
    return rx.hstack(
        rx.center(rx.icon(step.icon, size=14, color=step.colour), width="26px", height="26px",
                  border_radius="7px", flex_shrink="0",
                  background=f"color-mix(in srgb, {step.colour} 12%, white)"),
        rx.text(step.label, size="2", weight="medium", class_name="truncate", flex="1",
                min_width="0"),
        rx.cond(step.attempts > 1, rx.text("×", step.attempts, size="1", color_scheme="gray",
                                           title="Attempts")),
        rx.text(step.duration, size="1", color_scheme="gray", white_space="nowrap"),
        status_badge(step.status),
        on_click=RunsState.select_step(step.node_id),
        align="center", spacing="2", width="100%", padding="6px 8px", border_radius="8px",
        cursor="pointer", tab_index=0, custom_attrs={"onKeyDown": ACTIVATE_ON_ENTER},
        background=rx.cond(chosen, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.cond(chosen, rx.color("accent", 3), rx.color("gray", 3))},
        data_testid="run-step", data_node_id=step.node_id,
    )


def _json_box(title: str, text: rx.Var[str], cut: rx.Var[bool], testid: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(rx.text(title, as_="span", size="1", weight="bold",
                              color=rx.color("gray", 11), text_transform="uppercase",
                              letter_spacing="0.04em"), cursor="pointer"),
        rx.cond(
            text != "",
            rx.el.pre(text, font_family=_MONO, font_size="12px", line_height="1.5",
                      white_space="pre-wrap", word_break="break-word", max_height="220px",
                      overflow_y="auto", margin="6px 0 0", padding="8px 10px",
                      border_radius="8px", background=rx.color("gray", 2),
                      border=f"1px solid {rx.color('gray', 4)}", data_testid=testid),
            rx.text("Nothing", size="1", color_scheme="gray", margin_top="4px"),
        ),
        rx.cond(cut, rx.button("Show more", size="1", variant="ghost", margin_top="4px",
                               on_click=RunsState.show_more, data_testid="show-more")),
        open=True, width="100%",
    )


def _record() -> rx.Component:
    record = RunsState.record
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.text(record.label, size="3", weight="bold", class_name="truncate"),
                rx.text(record.node_id, size="1", font_family=_MONO, color_scheme="gray"),
                spacing="0", min_width="0", flex="1",
            ),
            status_badge(record.status, size="2"),
            align="center", width="100%",
        ),
        rx.hstack(
            rx.text(record.attempts, rx.cond(record.attempts == 1, " attempt", " attempts"),
                    size="1", color_scheme="gray"),
            rx.cond(record.duration != "", rx.text("· ", record.duration, size="1",
                                                   color_scheme="gray")),
            rx.cond(record.when != "", rx.hstack(rx.text("· started", size="1", color_scheme="gray"),
                                                 time_label(record.when), spacing="1")),
            spacing="2", align="center",
        ),
        rx.cond(record.error != "", rx.callout.root(
            rx.callout.icon(rx.icon("circle-x", size=16)),
            rx.vstack(
                rx.text(record.error, size="2", white_space="pre-wrap", word_break="break-word",
                        data_testid="record-error"),
                rx.cond(record.status == "failed", rx.button(
                    rx.icon("wand-sparkles", size=14), "Ask the assistant to fix this",
                    size="1", on_click=RunActionsState.ask_fix, disabled=RunsState.sending,
                    data_testid="ask-fix")),
                spacing="2", align="start"),
            color_scheme="red", size="1", width="100%")),
        _json_box("Input", record.input_text, record.input_cut, "record-input"),
        _json_box("Output", record.output_text, record.output_cut, "record-output"),
        spacing="3", width="100%", padding="12px", data_testid="run-record",
    )


def run_view() -> rx.Component:
    return rx.vstack(
        _header(),
        # The run's error, unless the failed step's record already shows it.
        rx.cond((RunsState.run.error != "") & (RunsState.record.status != "failed"), rx.callout(
            RunsState.run.error, icon="triangle-alert", color_scheme="red", size="1",
            width="calc(100% - 24px)", margin="8px 12px 0", data_testid="run-error")),
        rx.hstack(
            rx.scroll_area(
                rx.vstack(rx.foreach(RunsState.steps, _step_row), spacing="1", padding="8px"),
                type="hover", scrollbars="vertical", width="42%", height="100%",
                border_right=f"1px solid {rx.color('gray', 4)}",
            ),
            rx.scroll_area(
                rx.cond(RunsState.record.node_id != "", _record(),
                        rx.center(rx.text("Choose a step to see what it received and returned.",
                                          size="2", color_scheme="gray"), height="100%",
                                  padding="16px")),
                type="hover", scrollbars="vertical", flex="1", height="100%",
            ),
            spacing="0", width="100%", flex="1", min_height="0",
        ),
        spacing="0", width="100%", height="100%", data_testid="run-view",
    )
