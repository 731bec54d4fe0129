"""Apply typed edit operations (graph/patch_ops.py) to a workflow, keeping what the person made.

Existing nodes keep their ids, configs they were not asked to change, and their positions to
the pixel; new nodes get a free spot near the node they follow (graph/placement.py), so the
canvas never needs a full re-layout after a refinement.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow_chat.graph.changes import (
    ChangeSet,
    content_differs,
    describe_changes,
    diff_workflows,
    edge_ends,
)
from workflow_chat.graph.op_effects import APPLY
from workflow_chat.graph.patch_draft import Draft
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.graph.schema import Workflow
from workflow_chat.graph.validate import GraphInvalid, parse_workflow

__all__ = ["ChangeSet", "PatchError", "PatchResult", "apply_patch", "describe_changes",
           "diff_workflows"]


class PatchError(ValueError):
    """The patch cannot be applied; `errors` lists every problem, worded for a model to repair.

    Op problems read "op <n> (<op>): …" with n counting from 1. When every op applies but the
    resulting graph breaks a rule, the errors are parse_workflow's, unchanged: callers catch
    this one exception for both.
    """

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PatchResult:
    workflow: Workflow  # valid and normalised: it has passed parse_workflow
    changes: ChangeSet


def apply_patch(workflow: Workflow, patch: Patch) -> PatchResult:
    """Apply the ops in order to a copy of `workflow`; the input is never modified.

    Every op is checked even after one fails (a failed op is skipped, except that a failed
    add_node still reserves its id, so later ops that name it do not fail too), and all
    problems are raised together as PatchError. Semantics beyond the op docstrings:
    add_node with `before` only takes over all of `before`'s incoming edges; a condition
    inserted before a node leads to it on its "true" branch; set_trigger without a label keeps
    the label only when kind and config are unchanged, else uses the kind's title. The
    ChangeSet's `changed` lists nodes the ops name (update_node, set_trigger, connect and
    disconnect ends) that really differ; neighbours rewired by an insert or remove are not in it.
    """
    draft = Draft.of(workflow)
    errors: list[str] = []
    for number, op in enumerate(patch.ops, start=1):
        errors += [f"op {number} ({op.op}): {p}" for p in APPLY[type(op)](draft, op)]
    if errors:
        raise PatchError(errors)
    try:
        result = parse_workflow(draft.to_workflow())
    except GraphInvalid as exc:
        raise PatchError(exc.errors) from exc
    return PatchResult(result, _change_set(workflow, result, draft))


def _change_set(before: Workflow, after: Workflow, draft: Draft) -> ChangeSet:
    old = {n.id: n for n in before.nodes}
    changed = tuple(
        n.id for n in after.nodes
        if n.id in draft.touched and n.id in old
        and (content_differs(old[n.id], n) or edge_ends(before, n.id) != edge_ends(after, n.id))
    )
    return ChangeSet(
        added=tuple(n.id for n in after.nodes if n.id in draft.added),
        changed=changed,
        removed=tuple(n.id for n in before.nodes if n.id in draft.removed),
        renamed=(before.name, before.description) != (after.name, after.description),
    )
