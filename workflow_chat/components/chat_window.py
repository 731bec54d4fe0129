"""Middle pane: the open chat's messages and the composer (Enter sends, Shift+Enter adds a line)."""

from __future__ import annotations

import reflex as rx

from workflow_chat.services.messages import MAX_MESSAGE_CHARS
from workflow_chat.components.version_bar import VersionsState
from workflow_chat.state.conversation import ConversationState
from workflow_chat.state.workspace import WorkspaceState
from workflow_chat.state.workspace_items import MessageItem

EXAMPLES = [
    "Every morning at 8 fetch https://example.com/api/items and email me a summary",
    "Every weekday at 9, summarise our open GitHub issues and post it to Slack",
    "When a webhook is called, classify the message and if it is urgent email support",
]


@rx.memo
def markdown_text(content: rx.Var[str]) -> rx.Component:
    """Markdown in its own React component: rx.markdown's element map calls a hook, which must
    not run conditionally inside the message list's render (React's rules of hooks)."""
    return rx.box(rx.markdown(content), class_name="markdown")


def _user_bubble(message: MessageItem) -> rx.Component:
    return rx.box(
        rx.text(message.content, size="2", white_space="pre-wrap"),
        background=rx.color("accent", 9),
        color="white",
        padding="8px 12px",
        border_radius="14px 14px 4px 14px",
        max_width="85%",
        align_self="flex-end",
        class_name="message user-message",
    )


def _assistant_bubble(message: MessageItem) -> rx.Component:
    failed = message.status == "error"
    return rx.box(
        rx.cond(
            failed,
            rx.callout(
                rx.vstack(
                    rx.text(message.content, size="2"),
                    rx.button(rx.icon("rotate-ccw", size=14), "Retry", size="1",
                              on_click=ConversationState.retry, disabled=WorkspaceState.sending,
                              data_testid="retry"),
                    spacing="2",
                ),
                icon="triangle-alert",
                color_scheme="red",
                size="1",
            ),
            markdown_text(content=message.content),
        ),
        rx.cond(
            (message.version_id != 0)
            & ((message.version_id != WorkspaceState.current_version_id)
               | (WorkspaceState.preview_version_id != 0)),
            rx.button(rx.icon("workflow", size=12), "Show this version", variant="soft",
                      color_scheme="green", size="1", margin_top="4px", margin_bottom="6px",
                      on_click=VersionsState.show_message_graph(message.id),
                      data_testid="show-message-graph"),
        ),
        background=rx.cond(failed, "transparent", rx.color("gray", 2)),
        border=rx.cond(failed, "none", f"1px solid {rx.color('gray', 4)}"),
        padding=rx.cond(failed, "0", "4px 12px"),
        border_radius="14px 14px 14px 4px",
        max_width="92%",
        align_self="flex-start",
        class_name="message assistant-message",
    )


def _streaming() -> rx.Component:
    """The answer as it arrives, or typing dots until the first words."""
    return rx.cond(
        ConversationState.partial != "",
        rx.box(
            markdown_text(content=ConversationState.partial),
            background=rx.color("gray", 2),
            border=f"1px solid {rx.color('gray', 4)}",
            padding="4px 12px",
            border_radius="14px 14px 14px 4px",
            max_width="92%",
            align_self="flex-start",
            class_name="message assistant-message streaming",
            data_testid="streaming",
        ),
        _typing(),
    )


def _unanswered() -> rx.Component:
    """A question whose answer was lost (server restart, closed tab): offer to ask again."""
    return rx.callout(
        rx.hstack(
            rx.text("This message has no answer yet.", size="2"),
            rx.button(rx.icon("rotate-ccw", size=14), "Get an answer", size="1",
                      on_click=ConversationState.retry, data_testid="retry-unanswered"),
            align="center",
            spacing="3",
        ),
        icon="info",
        color_scheme="gray",
        size="1",
        align_self="flex-start",
    )


def _typing() -> rx.Component:
    return rx.hstack(
        rx.box(class_name="typing-dot"), rx.box(class_name="typing-dot"),
        rx.box(class_name="typing-dot"),
        rx.text("Designing your workflow…", size="1", color_scheme="gray", margin_left="6px"),
        align="center",
        spacing="1",
        padding="10px 12px",
        align_self="flex-start",
        data_testid="typing",
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("sparkles", size=28, color=rx.color("accent", 9)),
            rx.heading("Describe an automation", size="4"),
            rx.text("Say what should happen and when; the workflow appears on the right.",
                    size="2", color_scheme="gray", align="center"),
            rx.vstack(
                *[
                    rx.button(example, variant="surface", color_scheme="gray", size="1",
                              height="auto", padding="6px 10px", white_space="normal",
                              text_align="left", on_click=rx.set_value("composer", example))
                    for example in EXAMPLES
                ],
                spacing="2",
                margin_top="8px",
                width="100%",
            ),
            align="center",
            spacing="2",
            max_width="360px",
        ),
        flex="1",
        padding="24px",
    )


def _composer() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text_area(
                id="composer",
                name="message",
                placeholder="Describe an automation… (Enter to send, Shift+Enter for a new line)",
                enter_key_submit=True,
                auto_height=True,
                rows="2",
                size="2",
                width="100%",
                max_height="200px",
                auto_focus=True,
                aria_label="Message",
            ),
            rx.hstack(
                rx.text(f"Up to {MAX_MESSAGE_CHARS:,} characters", size="1", color_scheme="gray"),
                rx.cond(
                    WorkspaceState.sending,
                    rx.button(rx.icon("square", size=12), "Stop", type="button", size="2",
                              color_scheme="gray", variant="soft", on_click=ConversationState.stop,
                              data_testid="stop"),
                    rx.button(rx.icon("send", size=14), "Send", type="submit", size="2",
                              data_testid="send"),
                ),
                justify="between",
                align="center",
                width="100%",
            ),
            spacing="2",
        ),
        on_submit=ConversationState.start_turn,
        reset_on_submit=False,
        width="100%",
        padding="12px 16px 16px",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _header() -> rx.Component:
    return rx.hstack(
        rx.text(rx.cond(WorkspaceState.current_title != "", WorkspaceState.current_title,
                        "New conversation"),
                weight="medium", size="3", class_name="truncate", data_testid="chat-title"),
        rx.cond(
            WorkspaceState.offline_planner,
            rx.tooltip(
                rx.badge(rx.icon("wifi-off", size=12), "Offline planner", color_scheme="amber",
                         variant="soft", data_testid="offline-badge"),
                content="No LLM key is set: a rule-based planner builds the workflows.",
            ),
        ),
        justify="between",
        align="center",
        width="100%",
        padding="14px 16px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        min_height="56px",
    )


def chat_window() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(
            WorkspaceState.messages.length() > 0,
            rx.auto_scroll(
                rx.vstack(
                    rx.foreach(
                        WorkspaceState.messages,
                        lambda m: rx.cond(m.role == "user", _user_bubble(m), _assistant_bubble(m)),
                    ),
                    rx.cond(WorkspaceState.sending, _streaming()),
                    rx.cond(WorkspaceState.unanswered, _unanswered()),
                    spacing="3",
                    padding="16px",
                    width="100%",
                ),
                flex="1",
                min_height="0",
                width="100%",
                data_testid="messages",
            ),
            _empty(),
        ),
        _composer(),
        height="100%",
        spacing="0",
        width="100%",
    )
