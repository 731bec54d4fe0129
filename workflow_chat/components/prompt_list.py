"""The system prompts of the project shown in the settings dialog: the list (one active, or
none), a form to add or edit one, and delete behind a confirmation."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.list_rows import confirm_row, delete_icon, scrolling_list
from workflow_chat.services.projects import MAX_NAME
from workflow_chat.services.prompts import MAX_TEXT
from workflow_chat.state.prompts import PromptItem, PromptsState

HINT = ("The active prompt is added to the instructions the language model gets in every chat "
        "of this project (for example the tone, the tools you use, naming rules). The offline "
        "planner, used when no LLM key is set, ignores it.")


def _row(item: PromptItem) -> rx.Component:
    body = rx.fragment(
        rx.hstack(
            rx.text(item.name, size="2", weight="medium", class_name="truncate"),
            rx.cond(item.is_active, rx.badge("Active", color_scheme="green", variant="soft",
                                             data_testid="prompt-active")),
            spacing="2", align="center",
        ),
        rx.text(item.preview, size="1", color_scheme="gray", class_name="truncate", as_="div"),
    )
    actions = rx.hstack(
        rx.cond(
            item.is_active,
            rx.button("Turn off", size="1", variant="soft", color_scheme="gray",
                      on_click=PromptsState.activate_prompt(0), data_testid="prompt-off"),
            rx.button("Make active", size="1", variant="soft",
                      on_click=PromptsState.activate_prompt(item.id), data_testid="prompt-on"),
        ),
        rx.icon_button(rx.icon("pencil", size=14), size="1", variant="ghost",
                       aria_label="Edit prompt", on_click=PromptsState.start_prompt(item.id),
                       data_testid="prompt-edit"),
        delete_icon("Delete prompt", PromptsState.ask_delete_prompt(item.id), "prompt"),
        spacing="2", align="center",
    )
    return confirm_row(body, actions, confirming=PromptsState.confirm_prompt_delete == item.id,
                       on_cancel=PromptsState.ask_delete_prompt(0),
                       on_delete=PromptsState.delete_prompt, testid="prompt")


def _form() -> rx.Component:
    adding = PromptsState.prompt_form == "add"
    return rx.form(
        rx.vstack(
            # Uncontrolled fields (no round trip per key); the key starts them afresh per prompt.
            rx.input(name="name", default_value=PromptsState.prompt_name, placeholder="Name",
                     max_length=MAX_NAME, required=True, auto_focus=True, auto_complete="off",
                     width="100%", aria_label="Prompt name", data_testid="prompt-name"),
            rx.text_area(name="text", default_value=PromptsState.prompt_text, rows="6",
                         max_length=MAX_TEXT, required=True, width="100%",
                         placeholder="What the assistant should always keep in mind in this project",
                         aria_label="Prompt text", data_testid="prompt-text"),
            rx.hstack(
                rx.cond(adding, rx.checkbox("Make it the active prompt", name="active",
                                            default_checked=True, data_testid="prompt-make-active")),
                rx.text(f"Name up to {MAX_NAME} characters, text up to {MAX_TEXT:,}.", size="1",
                        color_scheme="gray"),
                spacing="3", align="center", wrap="wrap",
            ),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=PromptsState.cancel_prompt),
                rx.button(rx.cond(adding, "Add prompt", "Save prompt"), type="submit",
                          data_testid="prompt-save"),
                justify="end", spacing="2", width="100%",
            ),
            spacing="2", width="100%",
        ),
        key=PromptsState.prompt_form_key,
        on_submit=PromptsState.save_prompt,
        reset_on_submit=False,
        width="100%", padding="12px",
        border=f"1px solid {rx.color('gray', 5)}", border_radius="8px",
        data_testid="prompt-form",
    )


def prompt_section() -> rx.Component:
    return rx.vstack(
        rx.heading("System prompts", size="3"),
        rx.text(HINT, size="1", color_scheme="gray", data_testid="prompt-hint"),
        scrolling_list(PromptsState.prompt_items, _row, max_height="240px",
                       empty=rx.text("No prompts in this project yet.", size="2", color_scheme="gray")),
        rx.cond(PromptsState.prompt_error != "",
                rx.callout(PromptsState.prompt_error, icon="circle-alert", color_scheme="red",
                           size="1", width="100%", data_testid="prompt-error")),
        rx.cond(PromptsState.prompt_form != "", _form(),
                rx.button(rx.icon("plus", size=16), "Add prompt", variant="soft",
                          on_click=PromptsState.start_prompt(0), data_testid="prompt-add")),
        spacing="2", width="100%",
    )
