"""One row of a small managed list (prompts, secrets): the item on the left, its actions on the
right, and delete asked inline ("Delete? Cancel / Delete") instead of in a second dialog that
would stack on the one the list lives in."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_row(
    body: rx.Component,
    actions: rx.Component,
    *,
    confirming: Any,
    on_cancel: Any,
    on_delete: Any,
    testid: str,
) -> rx.Component:
    """`confirming` (a Var) swaps `actions` for the delete question; the buttons get
    `<testid>-delete-confirm` so tests find them per list."""
    return rx.hstack(
        rx.box(body, flex="1", min_width="0"),
        rx.cond(
            confirming,
            rx.hstack(
                rx.text("Delete?", size="2", color_scheme="red"),
                rx.button("Cancel", size="1", variant="soft", color_scheme="gray", on_click=on_cancel),
                rx.button("Delete", size="1", color_scheme="red", on_click=on_delete,
                          data_testid=f"{testid}-delete-confirm"),
                spacing="2", align="center",
            ),
            actions,
        ),
        align="center", width="100%", padding="8px 4px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid=f"{testid}-row",
    )


def delete_icon(label: str, on_click: Any, testid: str) -> rx.Component:
    return rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="ghost", color_scheme="red",
                          aria_label=label, on_click=on_click, data_testid=f"{testid}-delete")


def scrolling_list(items: Any, render: Any, *, empty: rx.Component, max_height: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.scroll_area(rx.vstack(rx.foreach(items, render), spacing="0", width="100%"),
                       type="hover", scrollbars="vertical", max_height=max_height),
        empty,
    )
