"""What changed between two versions of a workflow, as ids (for the canvas) and as words (chat).

`apply_patch` builds its `ChangeSet` from the ops it ran; `diff_workflows` builds one by
comparing two graphs (undo, restore, or a model that answered with a whole graph). Positions
are not compared: moving a node is not a change a summary needs to mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.nodes import get_kind

_SUMMARY_CHARS = 60


@dataclass(frozen=True)
class ChangeSet:
    """Node ids added, changed and removed, and whether the workflow's name or description moved."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: bool = False

    @property
    def touched(self) -> tuple[str, ...]:
        """The ids to highlight on the canvas: new and changed nodes (removed ones are gone)."""
        return self.added + self.changed

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.renamed)


def normal_config(node: Node) -> dict[str, Any]:
    """The config with its kind's defaults filled in, so `{}` and `{"unit": "seconds"}` compare
    equal; a config that does not parse (or an unknown kind) is compared as written."""
    kind = get_kind(node.kind)
    if kind is None:
        return node.config
    try:
        return kind.config.model_validate(node.config).model_dump(mode="json")
    except ValidationError:
        return node.config


def content_differs(old: Node, new: Node) -> bool:
    """Label, kind or config differ (the position does not count)."""
    return (old.label, old.kind) != (new.label, new.kind) or normal_config(old) != normal_config(new)


def edge_ends(workflow: Workflow, node_id: str) -> set[tuple[str, str, str | None]]:
    """The node's edges as (source, target, branch): edge ids are bookkeeping, not meaning."""
    return {
        (e.source, e.target, e.branch)
        for e in workflow.edges
        if node_id in (e.source, e.target)
    }


def diff_workflows(before: Workflow, after: Workflow) -> ChangeSet:
    """Compare by node id: a new id is added, a missing one removed; a node whose label, kind or
    config differs, or whose edges differ, is changed. Order follows each graph's node list."""
    old = {n.id: n for n in before.nodes}
    new = {n.id: n for n in after.nodes}
    changed = tuple(
        node_id
        for node_id, node in new.items()
        if node_id in old
        and (content_differs(old[node_id], node)
             or edge_ends(before, node_id) != edge_ends(after, node_id))
    )
    return ChangeSet(
        added=tuple(i for i in new if i not in old),
        changed=changed,
        removed=tuple(i for i in old if i not in new),
        renamed=(before.name, before.description) != (after.name, after.description),
    )


def describe_changes(before: Workflow, after: Workflow, changes: ChangeSet) -> str:
    """One markdown line, e.g. "**Added** Post to Slack · **Changed** Schedule (At 08:00 (UTC))".

    Steps are named by label; an id is added only where two steps share a label. A node whose
    only change is its edges is listed under "Reconnected", and only when nothing was added or
    removed (adding or removing a step rewires its neighbours anyway). Empty: "No changes.".
    """
    parts: list[str] = []
    if changes.renamed:
        parts.append(f"**Renamed** the workflow to “{_md(after.name)}”")
    if changes.added:
        parts.append("**Added** " + ", ".join(_name(after, i) for i in changes.added))
    edited, rewired = [], []
    for node_id in changes.changed:
        old, new = before.node(node_id), after.node(node_id)
        if old is None or new is None:
            continue
        if content_differs(old, new):
            edited.append(_changed_text(before, after, old, new))
        else:
            rewired.append(_name(after, node_id))
    if edited:
        parts.append("**Changed** " + ", ".join(edited))
    if changes.removed:
        parts.append("**Removed** " + ", ".join(_name(before, i) for i in changes.removed))
    if rewired and not (changes.added or changes.removed):
        parts.append("**Reconnected** " + ", ".join(rewired))
    return " · ".join(parts) if parts else "No changes."


def _changed_text(before: Workflow, after: Workflow, old: Node, new: Node) -> str:
    name = _name(after, new.id)
    if old.label != new.label:
        name = f"{_name(before, old.id)} → {name}"
    if (old.kind, normal_config(old)) == (new.kind, normal_config(new)):
        return name
    return f"{name} ({_md(_summary(new))})"


def _summary(node: Node) -> str:
    kind = get_kind(node.kind)
    text = kind.summarise(node.config) if kind else node.kind
    text = " ".join(text.split())
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1].rstrip() + "…"


def _name(workflow: Workflow, node_id: str) -> str:
    """The node's label, with its id when another node in the graph has the same label."""
    node = workflow.node(node_id)
    if node is None:
        return f"`{node_id}`"
    same = [n for n in workflow.nodes if n.label.casefold() == node.label.casefold()]
    return _md(node.label) + (f" (`{node.id}`)" if len(same) > 1 else "")


def _md(text: str) -> str:
    """Escape characters that would turn a label into other markdown."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)
