"""What each patch op does to a Draft (graph/patch_draft.py), and the problems it finds.

Each handler returns its problems as plain sentences; `apply_patch` prefixes the op's number.
A handler that finds a problem leaves the draft as it was, except add_node (see there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflow_chat.graph.changes import content_differs
from workflow_chat.graph.patch_draft import Draft
from workflow_chat.graph.patch_ops import (
    AddNode,
    Connect,
    Disconnect,
    RemoveNode,
    Rename,
    SetTrigger,
    UpdateNode,
)
from workflow_chat.graph.placement import free_position
from workflow_chat.graph.schema import Edge, Node
from workflow_chat.nodes import KINDS, TRIGGER_KINDS, get_kind


def _branch_problems(source: Node, branch: str | None) -> list[str]:
    branches = KINDS[source.kind].branches if source.kind in KINDS else ()
    if branches and branch is None:
        return [f"{source.id!r} is a {source.kind}: give branch {' or '.join(map(repr, branches))}"]
    if branch is not None and not branches:
        return [f"branch {branch!r} is only for edges leaving a condition ({source.id!r} is a "
                f"{source.kind})"]
    return []


def _add_node(draft: Draft, op: AddNode) -> list[str]:
    if draft.get(op.id) is not None:
        taken = ", ".join(n.id for n in draft.nodes)
        return [f"node id {op.id!r} is already used; choose a new id (taken: {taken})"]
    after, before = draft.get(op.after), draft.get(op.before)
    replaced = [e for e in draft.edges_between(op.after or "", op.before or "")
                if op.branch is None or e.branch == op.branch]
    branch = op.branch or (replaced[0].branch if replaced else None)
    problems = _add_problems(draft, op, after, before, replaced, branch)
    # Placed below the node it follows; with `before` only, below before's first parent.
    anchor = after or next(
        (draft.get(e.source) for e in draft.edges if before and e.target == before.id), None
    )
    node = Node(id=op.id, kind=op.kind, label=op.label, config=dict(op.config),
                position=free_position(draft.positions(), anchor.position if anchor else None))
    # Added even when the op fails, so later ops naming it report their own problems only.
    draft.insert(node, after.id if after else None)
    draft.added.append(op.id)
    if not problems:
        _wire_new_node(draft, node, after, before, replaced, branch)
    return problems


def _add_problems(draft: Draft, op: AddNode, after: Node | None, before: Node | None,
                  replaced: list[Edge], branch: str | None) -> list[str]:
    problems = [draft.missing(i) for i, n in ((op.after, after), (op.before, before)) if i and not n]
    kind, trigger = get_kind(op.kind), draft.trigger()
    if kind is None:
        problems.append(f"unknown kind {op.kind!r} (known: {', '.join(KINDS)})")
    elif kind.is_trigger and trigger is not None:
        problems.append(f"the workflow already has a trigger ({trigger.id!r}); use set_trigger "
                        "to change it")
    if op.branch is not None and op.after is None:
        problems.append("branch needs after (the condition the new node follows)")
    if before is not None and before.kind in TRIGGER_KINDS:
        problems.append(f"{before.id!r} is the trigger: nothing can come before it")
    if after is not None and before is not None and not replaced:
        problems.append(f"there is no edge from {after.id!r} to {before.id!r} to insert into "
                        f"({after.id!r} leads to {draft.targets_of(after.id)}); to add a "
                        "parallel path use add_node with after only, then connect")
    if after is not None:
        problems += _branch_problems(after, branch)
    return problems


def _wire_new_node(draft: Draft, node: Node, after: Node | None, before: Node | None,
                   replaced: list[Edge], branch: str | None) -> None:
    lead_branch = "true" if KINDS[node.kind].branches else None  # a guard lets the flow go on
    if after is not None:
        draft.drop_edges(replaced)
        draft.connect(after.id, node.id, branch)
    elif before is not None:
        for edge in [e for e in draft.edges if e.target == before.id]:
            draft.drop_edges([edge])
            draft.connect(edge.source, node.id, edge.branch)
    if before is not None:
        draft.connect(node.id, before.id, lead_branch)


def _update_node(draft: Draft, op: UpdateNode) -> list[str]:
    node = draft.get(op.id)
    if node is None:
        return [draft.missing(op.id)]
    config = dict(node.config)
    for key, value in op.config.items():
        if value is None:
            config.pop(key, None)  # back to the kind's default (or an error if it has none)
        else:
            config[key] = value
    draft.replace(node.model_copy(update={"label": op.label or node.label, "config": config}))
    draft.touch(node.id)
    return []


def _remove_node(draft: Draft, op: RemoveNode) -> list[str]:
    node = draft.get(op.id)
    if node is None:
        return [draft.missing(op.id)]
    if node.kind in TRIGGER_KINDS:
        return [f"{node.id!r} is the trigger and cannot be removed; use set_trigger to change it"]
    parents = [e for e in draft.edges if e.target == node.id]
    children = [e.target for e in draft.edges if e.source == node.id]
    draft.drop_node(node.id)
    if op.reconnect:
        for parent in parents:
            for child in children:
                if parent.source != child and not draft.has_edge(parent.source, child,
                                                                 parent.branch):
                    draft.connect(parent.source, child, parent.branch)
    return []


def _ends(draft: Draft, source: str, target: str) -> tuple[Node | None, Node | None, list[str]]:
    found = draft.get(source), draft.get(target)
    return (*found, [draft.missing(i) for i, n in zip((source, target), found) if n is None])


def _connect(draft: Draft, op: Connect) -> list[str]:
    source, target, problems = _ends(draft, op.source, op.target)
    if source is None or target is None:
        return problems
    if source.id == target.id:
        return [f"cannot connect {source.id!r} to itself"]
    if target.kind in TRIGGER_KINDS:
        return [f"{target.id!r} is the trigger: no edge can lead into it"]
    if draft.has_edge(source.id, target.id, op.branch):
        return [f"{source.id!r} is already connected to {target.id!r}"]
    problems = _branch_problems(source, op.branch)
    if not problems:
        draft.connect(source.id, target.id, op.branch)
        draft.touch(source.id, target.id)
    return problems


def _disconnect(draft: Draft, op: Disconnect) -> list[str]:
    source, target, problems = _ends(draft, op.source, op.target)
    if source is None or target is None:
        return problems
    edges = draft.edges_between(source.id, target.id)
    if not edges:
        return [f"there is no edge from {source.id!r} to {target.id!r} "
                f"({source.id!r} leads to {draft.targets_of(source.id)})"]
    draft.drop_edges(edges)
    draft.touch(source.id, target.id)
    return []


def _rename(draft: Draft, op: Rename) -> list[str]:
    draft.name = op.name
    if op.description is not None:
        draft.description = op.description
    return []


def _set_trigger(draft: Draft, op: SetTrigger) -> list[str]:
    trigger = draft.trigger()
    if trigger is None:
        return ["the workflow has no trigger; add one with add_node"]
    updated = trigger.model_copy(update={"kind": op.kind, "config": dict(op.config)})
    if op.label is not None or content_differs(trigger, updated):
        updated.label = op.label or KINDS[op.kind].title  # an old schedule's label would lie
    draft.replace(updated)
    draft.touch(trigger.id)
    return []


APPLY: dict[type, Callable[[Draft, Any], list[str]]] = {
    AddNode: _add_node, UpdateNode: _update_node, RemoveNode: _remove_node, Connect: _connect,
    Disconnect: _disconnect, Rename: _rename, SetTrigger: _set_trigger,
}
