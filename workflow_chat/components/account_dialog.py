"""The shell of a dialog opened from the account area: an icon button with a tooltip, and a
dialog with a title, a description, the body and a Close button (Esc closes it too)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def account_dialog(
    *, name: str, icon: str, title: str, description: str, body: list[rx.Component],
    is_open: rx.Var[bool], set_open: Any,
) -> rx.Component:
    """`name` makes the test ids: open-<name> on the button, <name>-dialog on the dialog."""
    return rx.fragment(
        rx.tooltip(
            rx.icon_button(rx.icon(icon, size=16), variant="ghost", color_scheme="gray",
                           on_click=set_open(True), aria_label=title, data_testid=f"open-{name}"),
            content=title,
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(title),
                rx.dialog.description(description, size="2", color_scheme="gray", margin_bottom="12px"),
                rx.vstack(
                    *body,
                    rx.hstack(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                              justify="end", width="100%"),
                    spacing="3", width="100%",
                ),
                max_width="560px",
                data_testid=f"{name}-dialog",
            ),
            open=is_open,
            on_open_change=set_open,
        ),
    )
