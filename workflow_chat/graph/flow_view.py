"""What the canvas draws: the stored workflow graph turned into React Flow nodes and edges.

Pure functions over the graph JSON (DESIGN.md format), so the Reflex state, the REST API and
tests share them. Positions coming back from the browser go through `apply_positions`.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from workflow_chat.graph.problems import node_problems
from workflow_chat.nodes import get_kind

_UNKNOWN_COLOUR = "#64748b"


def _coordinate(value: Any) -> float | None:
    """A finite number as float, else None (bools are not coordinates)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _node_data(node: dict[str, Any]) -> dict[str, Any]:
    kind = get_kind(str(node.get("kind", "")))
    label = node.get("label") or node["id"]
    if kind is None:
        # Validation keeps unknown kinds out of storage; draw them plainly rather than crash.
        return {
            "label": label,
            "kind": node.get("kind", ""),
            "title": f"Unknown kind: {node.get('kind', '')}",
            "icon": "box",
            "colour": _UNKNOWN_COLOUR,
            "summary": "",
            "category": "action",
            "branches": [],
        }
    return {
        "label": label,
        "kind": kind.name,
        "title": kind.title,
        "icon": kind.icon,
        "colour": kind.colour,
        "summary": kind.summarise(node.get("config") or {}),
        "category": kind.category,
        "branches": list(kind.branches),
    }


def flow_nodes(
    workflow: dict[str, Any], *, highlight: list[str] | tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """React Flow nodes (type "workflow") with what the node card shows in `data`.

    A missing or non-finite position becomes (0, 0); `needs_layout` tells whether to lay out.
    Nodes whose id is in `highlight` (the last change touched them) get `data.highlighted`.
    `data.problems` lists what validation says is wrong with the node (empty when fine).
    """
    marked = set(highlight)
    problems = node_problems(workflow)
    result = []
    for node in workflow.get("nodes") or []:
        position = node.get("position") if isinstance(node.get("position"), dict) else {}
        result.append(
            {
                "id": node["id"],
                "type": "workflow",
                "position": {
                    "x": _coordinate(position.get("x")) or 0.0,
                    "y": _coordinate(position.get("y")) or 0.0,
                },
                "data": {
                    **_node_data(node),
                    "highlighted": node["id"] in marked,
                    "problems": problems.get(node["id"], []),
                },
            }
        )
    return result


def flow_edges(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """React Flow edges; a branch becomes the source handle and the label.

    Edges whose ends are missing are left out, and a branch is used as a handle only when the
    source kind has that branch: React Flow logs an error for an edge to a handle that does not
    exist.
    """
    branches_of: dict[str, tuple[str, ...]] = {}
    for node in workflow.get("nodes") or []:
        kind = get_kind(str(node.get("kind", "")))
        branches_of[node["id"]] = kind.branches if kind else ()
    result = []
    for edge in workflow.get("edges") or []:
        source, target = edge.get("source"), edge.get("target")
        if source not in branches_of or target not in branches_of:
            continue
        branch = edge.get("branch")
        handle = branch if branch in branches_of[source] else None
        result.append(
            {
                "id": edge["id"],
                "source": source,
                "target": target,
                "sourceHandle": handle,
                "label": handle or "",
            }
        )
    return result


def needs_layout(workflow: dict[str, Any]) -> bool:
    """True when some node has not been placed yet, so the canvas should lay the graph out.

    A node counts as unplaced when it has no usable position, shares its point with another
    node (a fresh graph has every node at 0,0), or sits at the schema's default (0, 0) while
    other nodes do not (a node added by a patch). An elk layout never puts a node at the origin
    (it keeps a margin), so only a node dragged to exactly (0, 0) is taken for unplaced.
    A graph with a single node needs no layout.
    """
    nodes = workflow.get("nodes") or []
    seen: set[tuple[float, float]] = set()
    for node in nodes:
        position = node.get("position")
        if not isinstance(position, dict):
            return True
        x, y = _coordinate(position.get("x")), _coordinate(position.get("y"))
        if x is None or y is None or (x, y) in seen:
            return True
        seen.add((x, y))
    return len(nodes) > 1 and (0.0, 0.0) in seen


def apply_positions(workflow: dict[str, Any], positions: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of `workflow` with the given node positions ({id, x, y}) set.

    Unknown ids are ignored (the graph may have changed since the browser sent them). A
    position that is not a finite number raises ValueError and nothing is applied, so garbage
    from the browser never reaches storage. The input is not modified.
    """
    updates: dict[str, dict[str, float]] = {}
    for entry in positions:
        if not isinstance(entry, dict):
            raise ValueError(f"position must be an object, got {entry!r}")
        x, y = _coordinate(entry.get("x")), _coordinate(entry.get("y"))
        if x is None or y is None:
            raise ValueError(f"position of {entry.get('id')!r} must be finite numbers: {entry!r}")
        updates[str(entry.get("id"))] = {"x": round(x, 1), "y": round(y, 1)}
    result = copy.deepcopy(workflow)
    for node in result.get("nodes") or []:
        if node.get("id") in updates:
            node["position"] = updates[node["id"]]
    return result


def with_run_status(
    nodes: list[dict[str, Any]], statuses: dict[str, str] | None
) -> list[dict[str, Any]]:
    """The canvas nodes with `data.status` set from a run's node statuses (the node card draws
    a coloured dot); nodes the run has no status for, or every node when `statuses` is None,
    get none. Returns new dicts; the input is not modified."""
    result = []
    for node in nodes:
        data = {k: v for k, v in node.get("data", {}).items() if k != "status"}
        status = statuses.get(node["id"]) if statuses else None
        if status:
            data["status"] = status
        result.append({**node, "data": data})
    return result
