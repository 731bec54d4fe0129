"""The project picker above the chat list: "All projects" or one project (which filters the
list and receives new chats), a button for a new project, and one for the project's settings and
system prompts (components/prompts_dialog.py)."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.inspector import InspectorState
from workflow_chat.components.prompts_dialog import prompts_dialog
from workflow_chat.services.projects import MAX_NAME
from workflow_chat.state.projects import ALL, ProjectItem, ProjectsState


def _item(project: ProjectItem) -> rx.Component:
    return rx.select.item(project.name, value=project.value)


def _select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="All projects", flex="1", min_width="0",
                          aria_label="Project", data_testid="project-picker"),
        rx.select.content(
            rx.select.item("All projects", value=ALL),
            rx.select.separator(),
            rx.foreach(ProjectsState.projects, _item),
            position="popper",  # below the picker, not over the app's title
        ),
        value=ProjectsState.picker_value,
        on_change=lambda value: [ProjectsState.select_project(value), InspectorState.close()],
        size="2",
    )


def _new_project_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New project"),
            rx.dialog.description("A project groups chats and has its own system prompts.",
                                  size="2", color_scheme="gray", margin_bottom="12px"),
            rx.form(
                rx.vstack(
                    rx.input(name="name", placeholder="Project name", max_length=MAX_NAME,
                             required=True, auto_focus=True, auto_complete="off", width="100%",
                             aria_label="Project name", data_testid="new-project-name"),
                    rx.cond(ProjectsState.new_project_error != "",
                            rx.callout(ProjectsState.new_project_error, icon="circle-alert",
                                       color_scheme="red", size="1", width="100%",
                                       data_testid="new-project-error")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft",
                                                  color_scheme="gray")),
                        rx.button("Create project", type="submit", data_testid="new-project-save"),
                        justify="end", spacing="2", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=ProjectsState.create_project,
                reset_on_submit=False,
            ),
            max_width="420px",
            data_testid="new-project-dialog",
        ),
        open=ProjectsState.new_project_open,
        on_open_change=ProjectsState.set_new_project_open,
    )


def project_picker() -> rx.Component:
    return rx.hstack(
        _select(),
        rx.tooltip(
            rx.icon_button(rx.icon("folder-plus", size=16), variant="soft", color_scheme="gray",
                           on_click=ProjectsState.set_new_project_open(True),
                           aria_label="New project", data_testid="new-project"),
            content="New project",
        ),
        prompts_dialog(),
        _new_project_dialog(),
        spacing="2",
        align="center",
        width="100%",
        data_testid="project-bar",
    )
