"""The Activity dialog, opened from the account row under the chat list: the user's own
sign-ins, chats, workflow versions, runs and secrets, with when and from where. Esc closes it."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.account_dialog import account_dialog

from workflow_chat.components.time_label import time_label
from workflow_chat.state.audit import ActivityItem, ActivityState


def _row(item: ActivityItem) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.text(item.action, size="2", weight="medium",
                    color_scheme=rx.cond(item.failed, "red", "gray"), high_contrast=~item.failed,
                    data_testid="activity-action"),
            rx.hstack(
                rx.cond(item.target != "", rx.code(item.target, variant="ghost", size="1")),
                rx.cond(item.ip != "", rx.text("from " + item.ip, size="1", color_scheme="gray")),
                spacing="2", wrap="wrap",
            ),
            flex="1", min_width="0",
        ),
        time_label(item.when, flex_shrink="0"),
        align="center", width="100%", padding="8px 4px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="activity-row",
    )


def _list() -> rx.Component:
    return rx.cond(
        ActivityState.activity_items.length() > 0,
        rx.scroll_area(
            rx.vstack(
                rx.foreach(ActivityState.activity_items, _row),
                rx.cond(ActivityState.activity_more,
                        rx.button("Older", size="1", variant="soft", margin_top="8px",
                                  on_click=ActivityState.older_activity, data_testid="activity-older")),
                spacing="0", width="100%",
            ),
            type="hover", scrollbars="vertical", max_height="400px",
        ),
        rx.text("Nothing yet. Sign-ins, chats, workflow versions, runs and secrets show here.",
                size="2", color_scheme="gray", data_testid="activity-empty"),
    )


def activity_dialog() -> rx.Component:
    """The clock button that opens the dialog, and the dialog itself."""
    return account_dialog(
        name="activity", icon="history", title="Activity",
        description="What was done with your account, newest first.",
        body=[_list()], is_open=ActivityState.activity_open, set_open=ActivityState.set_activity_open,
    )
