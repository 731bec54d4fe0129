"""The project settings dialog, opened from the project picker: which project, its name, its
deletion (with its chats, after confirmation), and its system prompts (components/prompt_list.py).
Esc closes it."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.prompt_list import prompt_section
from workflow_chat.services.projects import MAX_NAME
from workflow_chat.state.projects import ProjectItem
from workflow_chat.state.prompts import PromptsState


def _project_choice() -> rx.Component:
    def item(project: ProjectItem) -> rx.Component:
        return rx.select.item(project.name, value=project.value)

    return rx.select.root(
        rx.select.trigger(width="100%", aria_label="Project to edit",
                          data_testid="settings-project"),
        rx.select.content(rx.foreach(PromptsState.projects, item)),
        value=PromptsState.managed_id.to_string(),
        on_change=PromptsState.manage_project,
        size="2",
    )


def _rename_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            # Uncontrolled: the key remounts it with the stored name when another project shows.
            rx.input(name="name", default_value=PromptsState.managed_name, max_length=MAX_NAME,
                     required=True, auto_complete="off", flex="1", aria_label="Project name",
                     key=PromptsState.managed_id.to_string() + PromptsState.managed_name,
                     data_testid="project-name"),
            rx.button("Rename", type="submit", variant="soft", data_testid="project-rename"),
            spacing="2", width="100%",
        ),
        on_submit=PromptsState.rename_project,
        reset_on_submit=False,
        width="100%",
    )


def _delete_area() -> rx.Component:
    chats = rx.cond(PromptsState.managed_chats == 1, "1 chat",
                    PromptsState.managed_chats.to_string() + " chats")
    return rx.cond(
        PromptsState.managed_default,
        rx.text("This is your default project: chats made under “All projects” go here, so it "
                "cannot be deleted.", size="1", color_scheme="gray"),
        rx.cond(
            PromptsState.confirm_project_delete,
            rx.callout(
                rx.vstack(
                    rx.text("Delete “", PromptsState.managed_name, "” with its ", chats,
                            " (their messages, workflow versions and runs) and its prompts? "
                            "This cannot be undone."),
                    rx.hstack(
                        rx.button("Cancel", size="1", variant="soft", color_scheme="gray",
                                  on_click=PromptsState.ask_delete_project(False)),
                        rx.button("Delete project", size="1", color_scheme="red",
                                  on_click=PromptsState.delete_project,
                                  data_testid="project-delete-confirm"),
                        spacing="2",
                    ),
                    spacing="2",
                ),
                icon="triangle-alert", color_scheme="red", size="1", width="100%",
            ),
            rx.button(rx.icon("trash-2", size=14), "Delete project", size="1", variant="ghost",
                      color_scheme="red", on_click=PromptsState.ask_delete_project(True),
                      data_testid="project-delete"),
        ),
    )


def _project_section() -> rx.Component:
    return rx.vstack(
        _project_choice(),
        _rename_form(),
        rx.cond(PromptsState.project_error != "",
                rx.callout(PromptsState.project_error, icon="circle-alert", color_scheme="red",
                           size="1", width="100%", data_testid="project-error")),
        _delete_area(),
        spacing="2", width="100%",
    )


def prompts_dialog() -> rx.Component:
    """The settings button (beside the picker) and the dialog itself."""
    return rx.fragment(
        rx.tooltip(
            rx.icon_button(rx.icon("settings-2", size=16), variant="soft", color_scheme="gray",
                           on_click=PromptsState.set_settings_open(True),
                           aria_label="Project settings and prompts",
                           data_testid="open-project-settings"),
            content="Project settings and prompts",
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("Project settings"),
                rx.dialog.description("Name, system prompts and deletion of a project.",
                                      size="2", color_scheme="gray", margin_bottom="12px"),
                rx.vstack(
                    _project_section(),
                    rx.separator(size="4"),
                    prompt_section(),
                    rx.hstack(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                              justify="end", width="100%"),
                    spacing="3", width="100%",
                ),
                max_width="600px",
                data_testid="project-settings-dialog",
            ),
            open=PromptsState.settings_open,
            on_open_change=PromptsState.set_settings_open,
        ),
    )
