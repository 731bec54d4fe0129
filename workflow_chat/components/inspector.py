"""Right-hand inspector: the clicked node's label and config form, generated from its schema.

Wiring (canvas pane): put `inspector_panel()` inside the canvas box (position: relative) and
pass `on_node_click=InspectorState.open` to the canvas. Each change is validated on the server
before it is saved; a valid one becomes an edit version (typing in one field coalesces into
one version), an invalid one stays in the field with its error and is not saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.components.inspector_fields import FieldRow, field_rows, inspector_body
from workflow_chat.db import session_scope
from workflow_chat.graph.form_fields import (
    config_with, display_value, field_spec, insert_hint, parse_value, template_hints,
    validate_field,
)
from workflow_chat.graph.problems import node_problems
from workflow_chat.nodes import get_kind
from workflow_chat.services import edits as edit_service
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import Invalid, ServiceError
from workflow_chat.state.workspace import WorkspaceState


@dataclass
class _Loaded:
    graph: dict[str, Any]
    node: dict[str, Any]


class InspectorState(WorkspaceState):
    inspected_id: str = ""
    kind_title: str = ""
    kind_icon: str = "box"
    kind_colour: str = "#64748b"
    kind_about: str = ""
    node_label: str = ""  # the label input's text
    label_error: str = ""
    fields: list[FieldRow] = []
    hints: list[str] = []
    problems: list[str] = []
    _kind: str = ""
    _label: str = ""  # the stored label
    _config: dict[str, Any] = {}
    _drafts: dict[str, str] = {}  # the text as typed, kept while it is invalid or equivalent
    _errors: dict[str, str] = {}

    @rx.var
    def lock_reason(self) -> str:
        if self.sending:
            return "Editing is paused while the assistant answers."
        if self.preview_version_id:
            return "This is an older version. Go back to the current one to edit it."
        return ""

    @rx.event
    def open(self, node_id: str):
        """Show a node of the graph on the canvas; closes when it does not exist (any more)."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        node_id = str(node_id.get("id", "") if isinstance(node_id, dict) else node_id)
        if node_id != self.inspected_id:
            self._drafts, self._errors, self.label_error = {}, {}, ""
        self._load(user_id, node_id)

    @rx.event
    def refresh(self):
        """Reload the open node (after undo, redo or a chat turn changed the graph)."""
        if self.inspected_id:
            return InspectorState.open(self.inspected_id)

    @rx.event
    def close(self):
        self._show(None)

    @rx.event
    def set_label(self, value: str):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        typed, label = str(value), str(value).strip()
        if not self.inspected_id:
            return
        if self.lock_reason:
            return rx.toast.info(self.lock_reason)
        if not label or len(label) > 120:
            self.node_label, self.label_error = typed, "A step needs a name of 1 to 120 characters."
            return
        result, self.label_error = None, ""
        if label != self._label:
            op = {"op": "update_node", "id": self.inspected_id, "label": label}
            result = self._save(user_id, op, f"label:{self.inspected_id}", None)
        if self.inspected_id and not self.label_error:
            self.node_label = typed  # as typed: a trailing space survives the save
        return result

    @rx.event
    def set_field(self, name: str, value: Any):
        """A field's new value from its widget; parsed, validated, then saved (or refused)."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        return self._change(user_id, name, value)

    @rx.event
    def insert_hint(self, name: str, hint: str):
        """Append an earlier step's output expression to a template field and save it."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        spec = field_spec(self._kind, name)
        if spec is None:
            return
        text = self._drafts.get(name, display_value(spec, self._config.get(name)))
        return self._change(user_id, name, insert_hint(text, hint, expression=spec.expression))

    def _change(self, user_id: int, name: str, raw: Any):
        spec = field_spec(self._kind, name)
        if spec is None or not self.inspected_id:
            return
        if self.lock_reason:
            return rx.toast.info(self.lock_reason)
        if isinstance(raw, str):
            self._drafts[name] = raw
        try:
            value = parse_value(spec, raw)
        except ValueError as exc:
            return self._refuse(name, str(exc))
        error = validate_field(self._kind, self._config, name, value)
        if error:
            return self._refuse(name, error)
        self._errors.pop(name, None)
        try:
            unchanged = config_with(self._kind, self._config, name, value) == self._config
        except ValueError:  # another field is broken: let the service say so
            unchanged = False
        if unchanged:
            self._rebuild()  # nothing to store: the same value, written differently
            return
        op = {"op": "update_node", "id": self.inspected_id, "config": {name: value}}
        return self._save(user_id, op, f"config:{self.inspected_id}:{name}", name)

    def _save(self, user_id: int, op: dict[str, Any], gesture: str, name: str | None):
        """Store one op as an edit; an Invalid answer becomes the field's (or label's) error."""
        try:
            with session_scope() as session:
                edit_service.apply_edit(session, user_id=user_id, chat_id=self.current_chat_id,
                                        ops=[op], gesture=gesture)
        except Invalid as exc:
            if name is None:
                self.label_error = str(exc)
                return
            return self._refuse(name, str(exc))
        except ServiceError as exc:
            self._show(None)
            return rx.toast.error(str(exc))
        self.label_error = "" if name is None else self.label_error
        self._reload_graph(user_id)
        self._load(user_id, self.inspected_id)

    def _refuse(self, name: str, error: str) -> None:
        self._errors[name] = error
        self._rebuild()

    def _load(self, user_id: int, node_id: str) -> None:
        loaded = self._read(user_id, node_id)
        self._show(loaded)

    def _read(self, user_id: int, node_id: str) -> _Loaded | None:
        """The node from the graph the canvas shows (an older version while previewing)."""
        if not node_id or not self.current_chat_id:
            return None
        try:
            with session_scope() as session:
                if self.preview_version_id:
                    version = workflow_service.get_version(
                        session, user_id=user_id, chat_id=self.current_chat_id,
                        version_id=self.preview_version_id,
                    )
                else:
                    version = workflow_service.current_version(
                        session, user_id=user_id, chat_id=self.current_chat_id
                    )
                graph = version.graph if version else None
        except ServiceError:
            return None
        node = next((n for n in (graph or {}).get("nodes", []) if n.get("id") == node_id), None)
        return _Loaded(graph, node) if graph and node else None

    def _show(self, loaded: _Loaded | None) -> None:
        if loaded is None:
            self.inspected_id, self.node_label, self.label_error = "", "", ""
            self.fields, self.hints, self.problems = [], [], []
            self._kind, self._config, self._drafts, self._errors = "", {}, {}, {}
            return
        node = loaded.node
        kind = get_kind(node.get("kind", ""))
        self.inspected_id, self.node_label = node["id"], node.get("label", "")
        self._label = self.node_label
        self._kind, self._config = node.get("kind", ""), dict(node.get("config") or {})
        self.kind_title = kind.title if kind else f"Unknown kind: {self._kind}"
        self.kind_icon = kind.icon if kind else "box"
        self.kind_colour = kind.colour if kind else "#64748b"
        self.kind_about = kind.description if kind else ""
        self.hints = template_hints(loaded.graph, node["id"])
        self.problems = node_problems(loaded.graph).get(node["id"], [])
        self._rebuild()

    def _rebuild(self) -> None:
        self.fields = field_rows(self.inspected_id, self._kind, self._config, self._drafts,
                                 self._errors)


def inspector_panel() -> rx.Component:
    """The drawer over the canvas's right edge; renders nothing while no node is open."""
    return rx.cond(
        InspectorState.inspected_id != "",
        inspector_body(InspectorState),
        rx.fragment(),
    )

