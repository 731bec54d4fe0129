"""Left pane: the user's chats, newest activity first, with inline rename, a move to another
project and confirmed delete."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.inspector import InspectorState
from workflow_chat.components.project_picker import project_picker
from workflow_chat.components.time_label import time_label
from workflow_chat.db import session_scope
from workflow_chat.services import chats as chat_service
from workflow_chat.services.errors import ServiceError
from workflow_chat.state.projects import ProjectItem, ProjectsState
from workflow_chat.state.workspace import WorkspaceState
from workflow_chat.state.workspace_items import ChatItem


class ChatListState(WorkspaceState):
    editing_id: int = 0
    edit_title: str = ""
    confirm_delete_id: int = 0
    confirm_delete_title: str = ""

    @rx.event
    def start_rename(self, chat_id: int, title: str):
        self.editing_id, self.edit_title = chat_id, title

    @rx.event
    def set_edit_title(self, value: str):
        self.edit_title = value

    @rx.event
    def cancel_rename(self):
        self.editing_id = 0

    @rx.event
    def rename_key(self, key: str):
        if key == "Enter":
            return ChatListState.finish_rename
        if key == "Escape":
            self.editing_id = 0

    @rx.event
    def finish_rename(self):
        user_id, chat_id = self._user_id(), self.editing_id
        if user_id is None:
            return self._signed_out()
        if not chat_id:
            return
        try:
            with session_scope() as session:
                chat_service.rename_chat(
                    session, user_id=user_id, chat_id=chat_id, title=self.edit_title
                )
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        finally:
            self.editing_id = 0
        self._reload_chats(user_id)

    @rx.event
    def ask_delete(self, chat_id: int, title: str):
        self.confirm_delete_id, self.confirm_delete_title = chat_id, title

    @rx.event
    def cancel_delete(self):
        self.confirm_delete_id = 0

    @rx.event
    def confirm_delete(self):
        user_id, chat_id = self._user_id(), self.confirm_delete_id
        self.confirm_delete_id = 0
        if user_id is None:
            return self._signed_out()
        if self.sending and chat_id == self.current_chat_id:
            return rx.toast.info("Please wait for the answer before deleting this chat.")
        try:
            with session_scope() as session:
                chat_service.delete_chat(session, user_id=user_id, chat_id=chat_id)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._reload_chats(user_id)
        if chat_id == self.current_chat_id:
            self._open(user_id, self.chats[0].id if self.chats else 0)


def _move_menu(chat: ChatItem) -> rx.Component:
    """The row's "Move to project…" picker: the user's projects, the chat's own one checked."""

    def target(project: ProjectItem) -> rx.Component:
        here = project.id == chat.project_id
        return rx.menu.item(
            rx.hstack(rx.text(project.name, class_name="truncate"),
                      rx.cond(here, rx.icon("check", size=14)),
                      justify="between", align="center", width="100%", spacing="2"),
            disabled=here,
            # The picker's counts change too, so it is read again after the move.
            on_select=[ChatListState.move_chat(chat.id, project.id), ProjectsState.load_projects],
            data_testid="move-target",
        )

    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("folder-input", size=14), variant="ghost", size="1",
                           color_scheme="gray", aria_label="Move to project…"),
        ),
        rx.menu.content(
            rx.text("Move to project", size="1", color_scheme="gray", padding="4px 8px"),
            rx.foreach(ProjectsState.projects, target),
            size="1",
            max_width="260px",
            data_testid="move-menu",
        ),
    )


def _chat_row(chat: ChatItem) -> rx.Component:
    active = chat.id == ChatListState.current_chat_id
    return rx.cond(
        ChatListState.editing_id == chat.id,
        rx.input(
            value=ChatListState.edit_title,
            on_change=ChatListState.set_edit_title,
            on_key_down=ChatListState.rename_key,
            on_blur=ChatListState.finish_rename,
            auto_focus=True,
            max_length=120,
            size="2",
            width="100%",
            aria_label="Chat title",
        ),
        rx.hstack(
            rx.box(
                rx.text(chat.title, size="2", weight=rx.cond(active, "medium", "regular"),
                        class_name="truncate", as_="div"),
                time_label(chat.when),
                flex="1",
                min_width="0",
                on_click=[ChatListState.select_chat(chat.id), InspectorState.close],
                on_double_click=ChatListState.start_rename(chat.id, chat.title),
                cursor="pointer",
            ),
            rx.hstack(
                rx.icon_button(rx.icon("pencil", size=14), variant="ghost", size="1",
                               color_scheme="gray", aria_label="Rename chat",
                               on_click=ChatListState.start_rename(chat.id, chat.title)),
                _move_menu(chat),
                rx.icon_button(rx.icon("trash-2", size=14), variant="ghost", size="1",
                               color_scheme="red", aria_label="Delete chat",
                               on_click=ChatListState.ask_delete(chat.id, chat.title)),
                spacing="1",
                class_name="chat-row-actions",
            ),
            align="center",
            padding="8px 10px",
            border_radius="8px",
            background=rx.cond(active, rx.color("accent", 3), "transparent"),
            _hover={"background": rx.cond(active, rx.color("accent", 4), rx.color("gray", 3))},
            class_name="chat-row",
            width="100%",
            data_testid="chat-row",
        ),
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete chat?"),
            rx.alert_dialog.description(
                "“", ChatListState.confirm_delete_title,
                "” and its messages and workflow versions will be deleted. This cannot be undone.",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                 on_click=ChatListState.cancel_delete)),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red",
                                                 on_click=ChatListState.confirm_delete)),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=ChatListState.confirm_delete_id != 0,
        on_open_change=lambda _open: ChatListState.cancel_delete(),
    )


def chat_list() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("workflow", size=20, color=rx.color("accent", 9)),
            rx.heading("Workflow Chat", size="4", weight="bold"),
            align="center",
            spacing="2",
            width="calc(100% + 24px)",
            margin="-16px -12px 0",
            padding="0 16px",
            min_height="56px",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
        ),
        project_picker(),
        rx.button(rx.icon("plus", size=16), "New chat",
                  on_click=[ChatListState.new_chat, InspectorState.close],
                  width="100%", size="2", data_testid="new-chat"),
        rx.cond(
            ChatListState.chats.length() > 0,
            rx.scroll_area(
                rx.vstack(rx.foreach(ChatListState.chats, _chat_row), spacing="1", width="100%"),
                type="hover",
                scrollbars="vertical",
                flex="1",
                min_height="0",
            ),
            rx.center(
                rx.vstack(
                    rx.icon("messages-square", size=28, color=rx.color("gray", 8)),
                    rx.text("No chats yet", weight="medium", size="2"),
                    rx.text("Start one and describe an automation in plain words.", size="1",
                            color_scheme="gray", align="center"),
                    align="center",
                    spacing="1",
                ),
                flex="1",
                padding="16px",
            ),
        ),
        _delete_dialog(),
        height="100%",
        padding="16px 12px",
        spacing="3",
        width="100%",
    )
