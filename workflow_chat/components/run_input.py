"""Run with input: a dialog whose JSON becomes the trigger's output. Enter adds a line (JSON
spans lines); Ctrl/Cmd+Enter or the button runs; Esc closes; bad JSON is explained in place."""

from __future__ import annotations

import reflex as rx

from workflow_chat.services.errors import Invalid, ServiceError
from workflow_chat.services.runs import MAX_INPUT_CHARS
from workflow_chat.state.run_actions import RunActionsState
from workflow_chat.state.run_items import parse_payload

_MONO = "var(--code-font-family, ui-monospace, monospace)"
# Ctrl/Cmd+Enter runs from the JSON box; a plain Enter stays a new line (multi-line JSON).
_SUBMIT_ON_CTRL_ENTER = rx.Var(
    "((e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {"
    " e.preventDefault(); e.currentTarget.form?.requestSubmit(); } })"
)


class RunInputState(RunActionsState):
    input_open: bool = False
    input_error: str = ""
    input_text: str = ""  # the last input typed, offered again next time

    @rx.event
    def set_input_open(self, open_: bool):
        self.input_open, self.input_error = bool(open_), ""

    @rx.event
    async def start_with_input(self, form: dict):
        """The dialog's JSON becomes the trigger's output; bad JSON stays in the dialog with
        the reason, and nothing runs."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.input_text = str(form.get("payload", ""))[: MAX_INPUT_CHARS + 1]
        try:
            result = await self._launch(user_id, parse_payload(self.input_text))
        except (ValueError, Invalid) as exc:
            self.input_error = str(exc)
            return
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.input_open, self.input_error = False, ""
        return result


def run_input_dialog() -> rx.Component:
    """The dialog; open it with RunInputState.set_input_open(True)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Run with input"),
            rx.dialog.description(
                "This JSON becomes the trigger's output: steps read it as {{ trigger.… }}.",
                size="2", color_scheme="gray",
            ),
            rx.form(
                rx.text_area(
                    name="payload", id="run-input", default_value=RunInputState.input_text,
                    placeholder='{\n  "name": "Ada",\n  "amount": 250\n}', rows="9",
                    auto_focus=True, spell_check=False, font_family=_MONO, width="100%",
                    margin_top="14px", custom_attrs={"onKeyDown": _SUBMIT_ON_CTRL_ENTER},
                    data_testid="run-input",
                ),
                rx.cond(RunInputState.input_error != "", rx.text(
                    RunInputState.input_error, size="2", color=rx.color("red", 11), margin_top="6px",
                    data_testid="run-input-error")),
                rx.hstack(
                    rx.text("Ctrl+Enter to run · Esc to close", size="1", color_scheme="gray"),
                    rx.spacer(),
                    rx.dialog.close(rx.button("Cancel", type="button", variant="soft",
                                              color_scheme="gray")),
                    rx.button(rx.icon("play", size=14), "Run", type="submit",
                              color_scheme="grass", data_testid="run-input-submit"),
                    align="center", spacing="2", margin_top="14px",
                ),
                on_submit=RunInputState.start_with_input,
                reset_on_submit=False,
            ),
            max_width="520px",
        ),
        open=RunInputState.input_open,
        on_open_change=RunInputState.set_input_open,
    )
