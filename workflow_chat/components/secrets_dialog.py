"""The Secrets dialog, opened from the account row under the chat list: the user's secrets by
name (values show as •••• only), add, replace and delete with confirmation. Esc closes it."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.account_dialog import account_dialog
from workflow_chat.components.list_rows import confirm_row, delete_icon, scrolling_list

from workflow_chat.components.time_label import time_label
from workflow_chat.services.credentials import MAX_NAME
from workflow_chat.state.secrets import SecretItem, SecretsState

_MONO = "var(--code-font-family, ui-monospace, monospace)"


def _value_input() -> rx.Component:
    # Uncontrolled and password-typed: the value goes to the server only with the submit, and
    # "new-password" keeps browsers from offering to save or fill it.
    return rx.input(name="value", type="password", placeholder="Value", auto_complete="new-password",
                    required=True, width="100%", aria_label="Secret value", data_testid="secret-value",
                    auto_focus=SecretsState.secret_form == "replace")


def _form() -> rx.Component:
    adding = SecretsState.secret_form == "add"
    return rx.form(
        rx.vstack(
            rx.cond(
                adding,
                rx.input(name="name", placeholder="NAME_LIKE_THIS", max_length=MAX_NAME, required=True,
                         auto_focus=True, auto_complete="off", spell_check=False, width="100%",
                         font_family=_MONO, aria_label="Secret name", data_testid="secret-name"),
                rx.text("New value for ", rx.code(SecretsState.secret_target), size="2"),
            ),
            _value_input(),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=SecretsState.cancel_form),
                rx.button(rx.cond(adding, "Save secret", "Replace value"), type="submit",
                          data_testid="secret-save"),
                justify="end", spacing="2", width="100%",
            ),
            spacing="2", width="100%",
        ),
        on_submit=SecretsState.save_secret,
        reset_on_submit=False,
        width="100%",
        padding="12px",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="8px",
        data_testid="secret-form",
    )


def _dates(item: SecretItem) -> rx.Component:
    return rx.hstack(
        rx.text("added", size="1", color_scheme="gray"), time_label(item.created),
        rx.cond(item.updated != item.created,
                rx.fragment(rx.text("· changed", size="1", color_scheme="gray"), time_label(item.updated))),
        rx.text("·", size="1", color_scheme="gray"),
        rx.cond(item.used != "",
                rx.fragment(rx.text("used", size="1", color_scheme="gray"), time_label(item.used)),
                rx.text("never used", size="1", color_scheme="gray")),
        spacing="1", wrap="wrap",
    )


def _row(item: SecretItem) -> rx.Component:
    body = rx.fragment(
        rx.hstack(rx.code(item.name, variant="ghost", weight="medium"),
                  rx.text(item.hint, size="2", color_scheme="gray", data_testid="secret-mask"),
                  spacing="2", align="center"),
        _dates(item),
    )
    actions = rx.hstack(
        rx.button("Replace", size="1", variant="soft",
                  on_click=SecretsState.start_replace(item.name), data_testid="secret-replace"),
        delete_icon("Delete secret", SecretsState.ask_delete_secret(item.name), "secret"),
        spacing="2", align="center",
    )
    return confirm_row(body, actions, confirming=SecretsState.secret_confirm == item.name,
                       on_cancel=SecretsState.cancel_delete_secret,
                       on_delete=SecretsState.delete_secret, testid="secret")


def _list() -> rx.Component:
    return scrolling_list(
        SecretsState.secret_items, _row, max_height="320px",
        empty=rx.text("No secrets yet. Workflows use them by name, like {{ secrets.SLACK_WEBHOOK_URL }}.",
                      size="2", color_scheme="gray"),
    )


def secrets_dialog() -> rx.Component:
    """The key button that opens the dialog, and the dialog itself."""
    return account_dialog(
        name="secrets", icon="key-round", title="Secrets",
        description="Encrypted on the server. A value is never shown again after you save it; "
                    "runs of your workflows fill it in where a node says {{ secrets.NAME }}.",
        body=[
            _list(),
            rx.cond(SecretsState.secret_error != "",
                    rx.callout(SecretsState.secret_error, icon="circle-alert", color_scheme="red",
                               size="1", width="100%", data_testid="secret-error")),
            rx.cond(SecretsState.secret_form != "", _form(),
                    rx.button(rx.icon("plus", size=16), "Add secret", variant="soft",
                              on_click=SecretsState.start_add, data_testid="secret-add")),
        ],
        is_open=SecretsState.secrets_open, set_open=SecretsState.set_secrets_open,
    )
