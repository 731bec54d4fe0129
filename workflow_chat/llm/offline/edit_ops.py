"""One understood change of a follow-up request, and the op sequences several changes share:
putting a new step after or before an existing one, and pointing later templates at new data.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

from workflow_chat.graph.patch_ops import AddNode, Connect, Disconnect, PatchOp, UpdateNode
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.graph.traversal import incoming, outgoing

Span = tuple[int, int]
# "also post it to Slack" adds a second delivery; without it, an existing one is meant.
ALSO_RE = re.compile(
    r"\b(?:also|another|too|as\s+well|additionally|in\s+addition|extra|second)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Edit:
    """Ops for one change and the reply line saying what they do. No ops: `line` says why
    nothing changed (a step that was not found, a trigger that is already so)."""

    ops: tuple[PatchOp, ...]
    line: str
    notes: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()  # words of the clause this change used up (clause offsets)


def refusal(line: str, spans: tuple[Span, ...] = ()) -> Edit:
    return Edit((), line, (), spans)


def new_step(node_id: str, kind: str, label: str, config: dict[str, Any]) -> AddNode:
    """An unplaced add_node; `insert_after` / `insert_before` say where it goes."""
    return AddNode(id=node_id, kind=kind, label=label, config=config)


def _on_branch(node: Node, branch: str | None) -> str | None:
    return (branch or "true") if node.kind == "condition" else None


def insert_after(workflow: Workflow, anchor: Node, step: AddNode) -> list[PatchOp]:
    """`step` right after `anchor`, taking over everything that followed it (on a condition:
    what followed its true branch). A new condition leads on with its true branch."""
    moved = [e for e in outgoing(workflow, anchor.id) if e.branch in (None, "true")]
    if not moved:
        return [step.model_copy(update={"after": anchor.id, "branch": _on_branch(anchor, None)})]
    first = moved[0]
    ops: list[PatchOp] = [step.model_copy(update={"after": anchor.id, "before": first.target,
                                                  "branch": first.branch})]
    lead = "true" if step.kind == "condition" else None
    for edge in moved[1:]:
        ops += [Disconnect(source=anchor.id, target=edge.target),
                Connect(source=step.id, target=edge.target, branch=lead)]
    return ops


def insert_before(workflow: Workflow, target: Node, step: AddNode) -> list[PatchOp]:
    """`step` right before `target`: between it and its parent, or taking all its parents."""
    parents = incoming(workflow, target.id)
    if len(parents) == 1:
        parent = parents[0]
        return [step.model_copy(update={"after": parent.source, "before": target.id,
                                        "branch": parent.branch})]
    return [step.model_copy(update={"before": target.id})]


def append_after(anchor: Node, step: AddNode) -> AddNode:
    """`step` as a new end after `anchor` (on its true branch when it is a condition)."""
    return step.model_copy(update={"after": anchor.id, "branch": _on_branch(anchor, None)})


def repoint(workflow: Workflow, start: str, old: str, new: str) -> list[PatchOp]:
    """Update ops replacing the expression `old` by `new` in the string settings of every step
    after `start` (not `start` itself), so they read the new data. Conditions keep what they
    test.

    Only whole references change: `nodes.fetch.output.body.items` is left alone, since the new
    data need not have that field."""
    exact = re.compile(re.escape(old) + r"(?![\w.])")
    ops: list[PatchOp] = []
    seen, queue = {start}, deque(e.target for e in outgoing(workflow, start))
    while queue:
        node = workflow.node(queue.popleft())
        if node is None or node.id in seen:
            continue
        seen.add(node.id)
        changed = {key: exact.sub(new, value) for key, value in node.config.items()
                   if isinstance(value, str) and exact.search(value)}
        if changed and node.kind != "condition":
            ops.append(UpdateNode(id=node.id, config=changed))
        queue.extend(e.target for e in outgoing(workflow, node.id))
    return ops
