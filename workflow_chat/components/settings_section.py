"""The shell of one settings section: a card with a heading, a line on what it is for, an
error callout when there is one, and the section's body."""

from __future__ import annotations

from typing import Any

import reflex as rx


def settings_section(
    *, name: str, title: str, description: str, body: rx.Component, error: rx.Var[str] | None = None,
) -> rx.Component:
    """`name` makes the test ids: <name>-section on the card, <name>-error on the callout."""
    callout = rx.cond(
        error != "",
        rx.callout(error, icon="circle-alert", color_scheme="red", size="1", width="100%",
                   data_testid=f"{name}-error"),
    ) if error is not None else rx.fragment()
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4"),
            rx.text(description, size="2", color_scheme="gray"),
            callout,
            body,
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid=f"{name}-section",
    )


def labelled(label: str, field: rx.Component, *, html_for: str, hint: str = "") -> rx.Component:
    """A field with its label above and an optional hint below."""
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium", html_for=html_for),
        field,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def section_form(*fields: rx.Component, submit: str, testid: str, on_submit: Any) -> rx.Component:
    """The fields stacked with their submit button under them. Fields stay uncontrolled (no
    round trip per keystroke) and keep what was typed when the server refuses it."""
    return rx.form(
        rx.vstack(*fields, rx.button(submit, type="submit", data_testid=testid),
                  spacing="3", align="start", width="100%"),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )
