"""Manual edits on the canvas: connect, delete, duplicate, add from the palette, drag.

Each handler re-reads the user from the token, turns the gesture into patch ops and hands them
to services.edits, which checks ownership, validates and stores one version per gesture. A
refused edit changes nothing and says why in a toast.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.graph import Position, Workflow
from workflow_chat.graph.new_steps import (
    ONE_TRIGGER,
    copy_label,
    end_of_flow,
    free_branch,
    fresh_id,
    spot_beside,
    starter_config,
    starter_graph,
    step_above,
)
from workflow_chat.nodes import get_kind
from workflow_chat.services import edits
from workflow_chat.services import workflows as workflow_service
from workflow_chat.services.errors import Invalid, NotFound, ServiceError
from workflow_chat.state.workspace import WorkspaceState


@dataclass(frozen=True)
class _Edit:
    ops: list[dict[str, Any]]
    new_id: str | None = None  # the node an add_node op creates
    at: Position | None = None  # where that node goes (add_node alone picks a spot below)


class EditorState(WorkspaceState):
    # The node ids selected on the canvas (the browser's choice: only ever used as a hint).
    selected_ids: list[str] = []

    @rx.var
    def can_edit(self) -> bool:
        return self.preview_version_id == 0 and not self.sending

    @rx.event
    def select(self, node_ids: list[str]):
        self.selected_ids = [str(i) for i in node_ids[:500]] if isinstance(node_ids, list) else []

    @rx.event
    def connect(self, edge: dict[str, Any]):
        """{source, target, branch} from a handle dragged onto another node's handle."""
        edge = edge if isinstance(edge, dict) else {}
        op = {"op": "connect", "source": edge.get("source"), "target": edge.get("target"),
              "branch": edge.get("branch")}
        return self._edit(lambda graph: _Edit([op]))

    @rx.event
    def delete_selection(self, selection: dict[str, Any]):
        """{nodes: [ids], edges: [ids]}: removes the nodes (joining their parents to their
        children) and the edges, as one version."""
        selection = selection if isinstance(selection, dict) else {}
        return self._edit(lambda graph: _deletion(graph, selection))

    @rx.event
    def duplicate(self, node_id: str):
        """A copy of the step beside it, fed by the same steps (a step nothing leads to would
        not validate); the copy's label ends in "(copy)"."""
        return self._edit(lambda graph: _duplication(graph, str(node_id)))

    @rx.event
    def add_node(self, kind: str, x: float | None = None, y: float | None = None):
        """A new step of `kind` with placeholder settings. At (x, y) it hangs under the nearest
        step above; otherwise it goes after the selected step (between it and the step that
        follows, if one does) or at the end of the flow. Starts a graph (a manual trigger and
        this step) when the chat has none yet."""
        return self._add(kind, x, y)

    @rx.event
    def add_dropped(self, drop: dict[str, Any]):
        """A palette item dropped on the canvas: {kind, x, y} in flow coordinates."""
        drop = drop if isinstance(drop, dict) else {}
        return self._add(drop.get("kind"), drop.get("x"), drop.get("y"))

    def _add(self, kind: Any, x: Any, y: Any):
        spec = get_kind(str(kind))
        if spec is None:
            return rx.toast.error("That kind of step does not exist.")
        at = Position(x=x, y=y) if _finite(x) and _finite(y) else None
        return self._edit(lambda graph: _addition(graph, spec.name, at, self.selected_ids),
                          start=spec.name)

    @rx.event
    def move(self, positions: list[dict[str, Any]]):
        """A finished drag: one edit version (drags of the same nodes in a row coalesce)."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        refusal = self._refusal()
        try:
            if refusal:
                raise Invalid(refusal)
            with session_scope() as session:
                edits.move_nodes(session, user_id=user_id, chat_id=self.current_chat_id,
                                 positions=positions if isinstance(positions, list) else [])
        except ServiceError as exc:
            self.nodes = list(self.nodes)  # resend: the canvas puts the nodes back
            return rx.toast.error(str(exc))
        self.highlight_ids = []
        self._reload_graph(user_id)

    def _refusal(self) -> str | None:
        if not self.current_chat_id:
            return "Open a chat first."
        if self.sending:
            return "Please wait for the answer before editing."
        if self.preview_version_id:
            return "This is an older version: go back to the current one (or restore this one) to edit."
        return None

    def _edit(self, plan: Callable[[Workflow], _Edit | None], *, start: str | None = None):
        """Apply what `plan` makes of the current graph. `start`: a kind that begins a graph
        when the chat has none yet."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if refusal := self._refusal():
            return rx.toast.info(refusal)
        chat_id = self.current_chat_id
        try:
            with session_scope() as session:
                version = workflow_service.current_version(session, user_id=user_id, chat_id=chat_id)
                if version is None:
                    touched = _start_graph(session, user_id, chat_id, start)
                else:
                    edit = plan(Workflow.model_validate(version.graph))
                    touched = _store(session, user_id, chat_id, edit) if edit else []
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.highlight_ids = touched
        self._reload_graph(user_id)


def _store(session, user_id: int, chat_id: int, edit: _Edit) -> list[str]:
    # add_node has no position: the gesture name move_nodes uses for the new node makes the
    # move update the version apply_edit has just stored (services.edits coalesces a gesture
    # repeated at once), so an add at a chosen spot stays ONE version.
    placed = edit.new_id is not None and edit.at is not None
    result = edits.apply_edit(session, user_id=user_id, chat_id=chat_id, ops=edit.ops,
                              gesture=f"move:{edit.new_id}" if placed else None)
    if placed:
        edits.move_nodes(session, user_id=user_id, chat_id=chat_id,
                         positions=[{"id": edit.new_id, "x": edit.at.x, "y": edit.at.y}])
    return list(result.changes.touched) if result.changes else []


def _start_graph(session, user_id: int, chat_id: int, kind: str | None) -> list[str]:
    spec = get_kind(kind or "")
    if spec is None:
        raise NotFound("This chat has no workflow to edit yet.")
    node_id = fresh_id(spec.name, [])
    graph = starter_graph(spec, node_id)
    edits.replace_graph(session, user_id=user_id, chat_id=chat_id, graph=graph.to_json(),
                        source="edit")
    return [node_id]


def _addition(graph: Workflow, kind: str, at: Position | None, selected: list[str]) -> _Edit:
    spec = get_kind(kind)
    assert spec is not None
    if spec.is_trigger:
        raise Invalid(ONE_TRIGGER)
    chosen = graph.node(selected[0]) if len(selected) == 1 else None
    after = (step_above(graph, at.x, at.y) if at else chosen) or end_of_flow(graph)
    branch = free_branch(graph, after) if after else None
    # After the chosen step with one step following on that branch: inserted in between.
    following = [e.target for e in graph.edges
                 if after and not at and e.source == after.id and e.branch == branch]
    new_id = fresh_id(kind, (n.id for n in graph.nodes))
    op = {"op": "add_node", "id": new_id, "kind": kind, "label": spec.title,
          "config": starter_config(spec), "after": after.id if after else None,
          "before": following[0] if len(following) == 1 else None, "branch": branch}
    return _Edit([op], new_id=new_id, at=at)


def _duplication(graph: Workflow, node_id: str) -> _Edit:
    node = graph.node(node_id)
    if node is None:
        raise NotFound("That step no longer exists.")
    spec = get_kind(node.kind)
    if spec is not None and spec.is_trigger:
        raise Invalid(ONE_TRIGGER)
    new_id = fresh_id(node.id, (n.id for n in graph.nodes))
    inputs = [e for e in graph.edges if e.target == node.id]
    first = inputs[0] if inputs else None
    ops = [{"op": "add_node", "id": new_id, "kind": node.kind, "label": copy_label(node.label),
            "config": node.config, "after": first.source if first else None,
            "branch": first.branch if first else None}]
    ops += [{"op": "connect", "source": e.source, "target": new_id, "branch": e.branch}
            for e in inputs[1:]]
    at = spot_beside(node.position, (n.position for n in graph.nodes))
    return _Edit(ops, new_id=new_id, at=at)


def _deletion(graph: Workflow, selection: dict[str, Any]) -> _Edit | None:
    wanted = {str(i) for i in selection.get("nodes") or []}
    nodes = [n for n in graph.nodes if n.id in wanted]
    if any((k := get_kind(n.kind)) is not None and k.is_trigger for n in nodes):
        raise Invalid(f"The trigger cannot be deleted. {ONE_TRIGGER}")
    gone = {n.id for n in nodes}
    edge_ids = {str(i) for i in selection.get("edges") or []}
    cut = [e for e in graph.edges
           if e.id in edge_ids and e.source not in gone and e.target not in gone]
    # Disconnect first: removing a node joins its parents to its children through its edges.
    ops = [{"op": "disconnect", "source": e.source, "target": e.target} for e in cut]
    ops += [{"op": "remove_node", "id": n.id} for n in nodes]
    return _Edit(ops) if ops else None


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
