"""Steps a person adds by hand on the canvas: a starter config, a free id, where it hangs on.

Pure functions over the graph, used by the editor state (state/editor.py). Every graph that is
stored must pass validation, and validation wants every step reachable from the trigger, so a
new step is always connected after some step; the person rewires it afterwards.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from typing import Any

from workflow_chat.graph.placement import GAP, NODE_HEIGHT, NODE_WIDTH, overlaps
from workflow_chat.graph.schema import Edge, Node, Position, Workflow
from workflow_chat.nodes import get_kind
from workflow_chat.nodes.base import NodeKind

ONE_TRIGGER = "A workflow has exactly one trigger — change the trigger instead."
# Required fields get a value that passes validation and is obviously a placeholder.
_PLACEHOLDERS: dict[str, Any] = {
    "url": "https://example.com",
    "to": "someone@example.com",
    "expression": "true",
    "cron": "0 9 * * *",
}
_TEXT = "…"
_LABEL_MAX = 120


def starter_config(kind: NodeKind) -> dict[str, Any]:
    """The kind's config with every required field filled by a placeholder (a URL field gets
    https://example.com, a number 1, other text "…") and every other field at its default.
    Raises ValueError when a new kind has a required field these placeholders cannot fill."""
    config: dict[str, Any] = {}
    for name, field in kind.config.model_fields.items():
        if field.is_required():
            number = field.annotation in (int, float)
            config[name] = _PLACEHOLDERS.get(name, 1 if number else _TEXT)
    return kind.config.model_validate(config).model_dump(mode="json")


def fresh_id(stem: str, taken: Iterable[str]) -> str:
    """`stem` (made id-safe), or stem_2, stem_3 … whichever is not in `taken`."""
    used = set(taken)
    stem = re.sub(r"[^A-Za-z0-9_\-]", "_", stem)[:56] or "step"
    return next(c for c in itertools.chain([stem], (f"{stem}_{n}" for n in itertools.count(2)))
                if c not in used)


def copy_label(label: str) -> str:
    """"Fetch issues" → "Fetch issues (copy)", kept within the label limit."""
    suffix = " (copy)"
    return label[: _LABEL_MAX - len(suffix)] + suffix


def spot_beside(position: Position, taken: Iterable[Position]) -> Position:
    """The first free spot right of `position` (same row, then the rows below)."""
    placed = list(taken)
    for row in itertools.count():
        for column in range(1, 7):
            candidate = Position(x=position.x + column * (NODE_WIDTH + GAP),
                                 y=position.y + row * (NODE_HEIGHT + GAP))
            if not any(overlaps(candidate, p) for p in placed):
                return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def free_branch(workflow: Workflow, node: Node) -> str | None:
    """The branch a step added after `node` leaves on: None unless `node` is a condition, then
    its first branch nothing leaves on yet ("true" when both are taken)."""
    kind = get_kind(node.kind)
    if kind is None or not kind.branches:
        return None
    used = {e.branch for e in workflow.edges if e.source == node.id}
    return next((b for b in kind.branches if b not in used), kind.branches[0])


def end_of_flow(workflow: Workflow) -> Node | None:
    """The last step (in list order) nothing leaves yet, or a condition with a free branch:
    where a step added without a place in mind is appended."""
    for node in reversed(workflow.nodes):
        kind = get_kind(node.kind)
        used = {e.branch for e in workflow.edges if e.source == node.id}
        branches = set(kind.branches) if kind else set()
        if (branches and branches - used) or (not branches and not used):
            return node
    return workflow.nodes[-1] if workflow.nodes else None


def step_above(workflow: Workflow, x: float, y: float) -> Node | None:
    """The step a node dropped with its top-left at (x, y) hangs under: the nearest one that
    starts higher up; None when it was dropped above every step."""
    above = [n for n in workflow.nodes if n.position.y < y]
    return min(above, key=lambda n: math.hypot(n.position.x - x, n.position.y - y), default=None)


def starter_graph(kind: NodeKind, node_id: str) -> Workflow:
    """A first graph for a chat without one: a manual trigger and the new step after it (or the
    trigger alone when the new step is a trigger). Positions are left for the canvas layout."""
    node = Node(id=node_id, kind=kind.name, label=kind.title, config=starter_config(kind))
    if kind.is_trigger:
        return Workflow(nodes=[node])
    manual = get_kind("manual")
    assert manual is not None
    trigger = Node(id=fresh_id("start", [node_id]), kind="manual", label=manual.title)
    return Workflow(nodes=[trigger, node],
                    edges=[Edge(id="e1", source=trigger.id, target=node.id)])
