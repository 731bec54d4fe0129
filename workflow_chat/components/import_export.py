"""Export the current workflow as a JSON file, and import one as a new version of the open chat.

An import goes through the same validation as every other change (services.edits.replace_graph):
a file that breaks a rule is refused with every problem listed, and nothing is stored.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import chats as chat_service
from workflow_chat.services import edits as edit_service
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import Invalid, ServiceError
from workflow_chat.state.workspace import WorkspaceState

UPLOAD_ID = "workflow-import"
MAX_BYTES = 1024 * 1024
SHOWN_PROBLEMS = 20


def file_slug(name: str) -> str:
    """A file-name-safe slug of a workflow name ("Daily digest!" → "daily-digest")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return slug or "workflow"


def read_workflow_file(data: bytes) -> tuple[dict[str, Any] | None, list[str]]:
    """The JSON object in an uploaded file, or None and why it cannot be read."""
    if len(data) > MAX_BYTES:
        return None, ["The file is larger than 1 MB; a workflow file is far smaller."]
    if not data.strip():
        return None, ["The file is empty."]
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, ["The file is not text (UTF-8 JSON expected)."]
    except json.JSONDecodeError as exc:
        return None, [f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."]
    if not isinstance(parsed, dict):
        return None, ["The file must hold one workflow object ({\"nodes\": [...], \"edges\": [...]}), "
                      f"not a JSON {type(parsed).__name__}."]
    return parsed, []


class ImportExportState(WorkspaceState):
    import_open: bool = False
    import_problems: list[str] = []
    import_file_name: str = ""

    @rx.event
    def export_json(self):
        """Download the current version's graph as pretty JSON."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if not self.current_chat_id:
            return rx.toast.info("This chat has no workflow to export yet.")
        try:
            with session_scope() as session:
                version = workflow_service.current_version(
                    session, user_id=user_id, chat_id=self.current_chat_id
                )
                graph = version.graph if version else None
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        if not graph:
            return rx.toast.info("This chat has no workflow to export yet.")
        text = json.dumps(graph, indent=2, ensure_ascii=False) + "\n"
        filename = f"{file_slug(str(graph.get('name') or ''))}.workflow.json"
        return rx.download(data=text, filename=filename, mime_type="application/json")

    @rx.event
    def set_import_open(self, open_: bool):
        """Open (fresh: no file, no problems) or close the import dialog."""
        self.import_open = bool(open_)
        self.import_problems, self.import_file_name = [], ""
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    async def import_file(self, files: list[rx.UploadFile]):
        """Store the uploaded graph as a new version of the open chat (a new chat if none is
        open); on any problem list them in the dialog and store nothing."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.sending:
            return rx.toast.info("Please wait for the answer before importing.")
        if not files:
            self.import_problems = ["Choose a .json file first."]
            return
        upload = files[0]
        self.import_file_name = upload.filename or "The file"
        graph, problems = read_workflow_file(await upload.read(MAX_BYTES + 1))
        if graph is None:
            self.import_problems = problems
            return
        try:
            number = self._store_import(user_id, graph)
        except Invalid as exc:
            self.import_problems = exc.errors[:SHOWN_PROBLEMS]
            return
        except ServiceError as exc:  # NotFound: the chat is gone or is not this user's
            self.import_problems = [str(exc)]
            return
        self.import_open, self.import_problems, self.import_file_name = False, [], ""
        return [rx.clear_selected_files(UPLOAD_ID),
                rx.toast.success(f"Imported as version {number}")]

    def _store_import(self, user_id: int, graph: dict[str, Any]) -> int:
        """One transaction: a refused graph leaves no version and no new chat behind. A chat
        without a title of its own (or a new one) is named after the imported workflow."""
        title = str(graph.get("name") or "").strip() or "Imported workflow"
        with session_scope() as session:
            chat_id = self.current_chat_id
            if not chat_id:
                chat_id = chat_service.create_chat(session, user_id=user_id, title=title).id
            number = edit_service.replace_graph(
                session, user_id=user_id, chat_id=chat_id, graph=graph, source="import"
            ).number
            if chat_service.owned_chat(session, user_id=user_id, chat_id=chat_id).title_is_default:
                chat_service.rename_chat(session, user_id=user_id, chat_id=chat_id, title=title)
        self._reload_chats(user_id)
        self._open(user_id, chat_id)  # type: ignore[arg-type]
        return number


def _import_dialog() -> rx.Component:
    chosen = rx.selected_files(UPLOAD_ID)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import a workflow"),
            rx.dialog.description(
                "The file's graph becomes a new version of this chat. "
                "A file with problems changes nothing.",
                size="2", color_scheme="gray",
            ),
            rx.upload(
                rx.vstack(
                    rx.icon("file-json", size=28, color=rx.color("accent", 9)),
                    rx.cond(
                        chosen.length() > 0,
                        rx.text(chosen[0], weight="medium", size="2", data_testid="import-chosen"),
                        rx.text("Drop a .json file here, or click to choose one",
                                size="2", color_scheme="gray"),
                    ),
                    rx.text("Up to 1 MB", size="1", color_scheme="gray"),
                    align="center",
                    spacing="1",
                ),
                id=UPLOAD_ID,
                accept={"application/json": [".json"]},
                max_files=1,
                multiple=False,
                max_size=MAX_BYTES,
                padding="24px",
                margin_y="16px",
                border=f"1.5px dashed {rx.color('gray', 7)}",
                border_radius="12px",
                cursor="pointer",
                drag_active_style={"border_color": rx.color("accent", 9),
                                   "background": rx.color("accent", 2)},
                data_testid="import-dropzone",
            ),
            rx.cond(
                ImportExportState.import_problems.length() > 0,
                rx.box(
                    rx.hstack(
                        rx.icon("triangle-alert", size=16),
                        rx.text(ImportExportState.import_file_name, " was not imported:",
                                weight="medium", size="2"),
                        align="center",
                        spacing="2",
                    ),
                    rx.el.ul(
                        rx.foreach(ImportExportState.import_problems,
                                   lambda p: rx.el.li(p, data_testid="import-problem")),
                        style={"margin": "6px 0 0 22px", "list_style": "disc",
                               "font_size": "13px", "line_height": "1.45"},
                    ),
                    color=rx.color("red", 11),
                    background=rx.color("red", 3),
                    border=f"1px solid {rx.color('red', 6)}",
                    border_radius="8px",
                    padding="10px 12px",
                    max_height="240px",
                    overflow_y="auto",
                    data_testid="import-problems",
                ),
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    rx.icon("upload", size=14), "Import",
                    on_click=ImportExportState.import_file(rx.upload_files(upload_id=UPLOAD_ID)),
                    disabled=(chosen.length() == 0) | WorkspaceState.sending,
                    data_testid="import-confirm",
                ),
                justify="end",
                spacing="2",
                margin_top="16px",
            ),
            max_width="480px",
        ),
        open=ImportExportState.import_open,
        on_open_change=ImportExportState.set_import_open,
    )


def import_export_buttons() -> rx.Component:
    """Export and import icon buttons with tooltips, and the import dialog."""
    return rx.hstack(
        rx.tooltip(
            rx.icon_button(rx.icon("download", size=16), variant="soft", color_scheme="gray",
                           size="2", aria_label="Export workflow as JSON",
                           on_click=ImportExportState.export_json,
                           disabled=~WorkspaceState.has_graph, data_testid="export-workflow"),
            content="Export as JSON",
        ),
        rx.tooltip(
            rx.icon_button(rx.icon("upload", size=16), variant="soft", color_scheme="gray",
                           size="2", aria_label="Import workflow from JSON",
                           on_click=ImportExportState.set_import_open(True),
                           disabled=WorkspaceState.sending, data_testid="import-workflow"),
            content="Import from JSON",
        ),
        _import_dialog(),
        spacing="2",
        align="center",
    )
