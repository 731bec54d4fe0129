"""How the workflow starts besides Run: a schedule's on/off switch and its next times, or a
webhook's URL (copy, regenerate its secret token). A chip in the runs bar opens the settings."""

from __future__ import annotations

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.graph.form_fields import cron_preview
from workflow_chat.services import triggers as trigger_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.services.triggers import TriggerView
from workflow_chat.state.run_items import iso
from workflow_chat.state.workspace import WorkspaceState

_MONO = "var(--code-font-family, ui-monospace, monospace)"
NEXT_RUN_FORMAT = "ddd D MMM, HH:mm"


def backend_origin() -> str:
    """Where the browser reaches the backend (REFLEX_API_URL, or --backend-port)."""
    return rx.config.get_config().api_url.rstrip("/")


class TriggerState(WorkspaceState):
    enabled: bool = False
    schedule_text: str = ""
    next_runs: list[str] = []  # ISO UTC; shown in the user's local time
    webhook_url: str = ""
    confirm_open: bool = False
    busy: bool = False

    @rx.var
    def trigger_kind(self) -> str:
        """The graph's trigger kind (manual, schedule, webhook), read from the canvas nodes."""
        return next((str(n["data"].get("kind", "")) for n in self.nodes
                     if n.get("data", {}).get("category") == "trigger"), "")

    @rx.event
    def load(self):
        user_id = self._user_id()
        if user_id is None or not self.current_chat_id:
            return self._show(None)
        try:
            with session_scope() as session:
                view = trigger_service.get_triggers(session, user_id=user_id,
                                                    chat_id=self.current_chat_id)
        except ServiceError:
            view = None
        self._show(view)

    @rx.event
    async def set_enabled(self, enabled: bool):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.busy = True
        try:
            view = await trigger_service.set_schedule_enabled(
                user_id=user_id, chat_id=self.current_chat_id, enabled=bool(enabled))
        except ServiceError as exc:
            self.busy = False
            return rx.toast.error(str(exc))
        self.busy = False
        self._show(view)
        return rx.toast.success("Schedule on: the workflow runs at the times shown."
                                if view.schedule_enabled else "Schedule off.")

    @rx.event
    def set_confirm_open(self, open_: bool):
        self.confirm_open = bool(open_)

    @rx.event
    def rotate(self):
        """A new secret token: the old URL stops working at once."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.confirm_open = False
        try:
            with session_scope() as session:
                view = trigger_service.rotate_webhook_token(session, user_id=user_id,
                                                            chat_id=self.current_chat_id)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._show(view)
        return rx.toast.success("New webhook URL: the old one no longer works.")

    @rx.event
    def copy_url(self):
        if self.webhook_url:
            return [rx.set_clipboard(self.webhook_url), rx.toast.success("Webhook URL copied")]

    def _show(self, view: TriggerView | None) -> None:
        self.enabled = bool(view and view.schedule_enabled)
        cron = view.cron if view and view.cron else ""
        self.schedule_text = f"{cron_preview(cron)} ({view.timezone})" if view and cron else ""
        self.next_runs = [iso(t) for t in view.next_runs[:3]] if view else []
        path = view.webhook_path if view else None
        self.webhook_url = f"{backend_origin()}{path}" if path else ""


def _schedule() -> rx.Component:
    return rx.vstack(
        rx.text("Schedule", weight="bold", size="2"),
        rx.text(TriggerState.schedule_text, size="2", color_scheme="gray"),
        rx.hstack(
            rx.switch(checked=TriggerState.enabled, on_change=TriggerState.set_enabled,
                      disabled=TriggerState.busy, data_testid="schedule-switch"),
            rx.text(rx.cond(TriggerState.enabled, "On: runs by itself",
                            "Off: runs only when you press Run"), size="2"),
            align="center", spacing="2",
        ),
        rx.text("Next runs (your time)", size="1", weight="medium", color_scheme="gray",
                margin_top="4px"),
        rx.vstack(rx.foreach(TriggerState.next_runs, lambda t: rx.text(
            rx.moment(t, format=NEXT_RUN_FORMAT, local=True), size="2", data_testid="next-run")),
            spacing="1"),
        spacing="2", width="300px",
    )


def _confirm_rotate() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Regenerate the webhook URL?"),
            rx.alert_dialog.description(
                "The current URL stops working at once: anything that calls it must get the "
                "new one.", size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Regenerate", color_scheme="red",
                                                 on_click=TriggerState.rotate,
                                                 data_testid="rotate-confirm")),
                spacing="2", justify="end", margin_top="16px",
            ),
            max_width="420px",
        ),
        open=TriggerState.confirm_open, on_open_change=TriggerState.set_confirm_open,
    )


def _webhook() -> rx.Component:
    return rx.vstack(
        rx.text("Webhook", weight="bold", size="2"),
        rx.text("Send a request to this URL to start a run; its body becomes the trigger's "
                "output. Keep it secret.", size="2", color_scheme="gray"),
        rx.hstack(
            rx.input(value=TriggerState.webhook_url, read_only=True, size="2", flex="1",
                     font_family=_MONO, data_testid="webhook-url",
                     on_focus=rx.call_script("document.activeElement?.select?.()")),
            rx.icon_button(rx.icon("copy", size=14), size="2", variant="soft",
                           aria_label="Copy URL", title="Copy URL", on_click=TriggerState.copy_url,
                           data_testid="webhook-copy"),
            spacing="2", width="100%",
        ),
        rx.button(rx.icon("rotate-ccw", size=14), "Regenerate token", size="1", variant="soft",
                  color_scheme="red", on_click=TriggerState.set_confirm_open(True),
                  data_testid="webhook-rotate"),
        spacing="2", width="380px",
    )


def trigger_chip() -> rx.Component:
    """A chip for a schedule or webhook trigger that opens its settings; nothing otherwise."""
    kind = TriggerState.trigger_kind
    label = rx.cond(kind == "schedule",
                    rx.cond(TriggerState.enabled, "Schedule · on", "Schedule · off"), "Webhook")
    return rx.cond(
        (kind == "schedule") | (kind == "webhook"),
        rx.fragment(rx.popover.root(
            rx.popover.trigger(rx.button(
                rx.icon(rx.cond(kind == "schedule", "clock", "webhook"), size=14), label,
                size="1", variant="soft",
                color_scheme=rx.cond(TriggerState.enabled, "grass", "gray"),
                data_testid="trigger-chip")),
            rx.popover.content(rx.cond(kind == "schedule", _schedule(), _webhook()),
                               side="top", align="end"),
            on_open_change=lambda open_: TriggerState.load,
        ), _confirm_rotate()),  # outside the popover, which closes when the dialog takes focus
    )
