"""Follow-ups that remove a step or put a guard or a wait into the flow: "remove the email
step", "only if the list is not empty", "wait 10 minutes before emailing".
"""

from __future__ import annotations

import re

from workflow_chat.graph.patch import apply_patch
from workflow_chat.graph.patch_ops import Patch, PatchOp, RemoveNode
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.graph.traversal import incoming, outgoing
from workflow_chat.llm.offline.edit_ops import (
    Edit,
    Span,
    insert_after,
    insert_before,
    new_step,
    refusal,
    repoint,
)
from workflow_chat.llm.offline.edit_targets import (
    PRODUCERS,
    fresh_id,
    is_delivery,
    is_fetch,
    last_sink,
    ordered,
    output_source,
    resolve,
    source_at,
    trigger_of,
)
from workflow_chat.llm.offline.logic import find_condition, find_delay
from workflow_chat.llm.offline.sentence import Clause, Masked, plain
from workflow_chat.llm.offline.step_configs import Context, base_id, build
from workflow_chat.nodes import TRIGGER_KINDS

_I = re.IGNORECASE
_REMOVE_RE = re.compile(
    r"\b(?:remove|delete|drop|get\s+rid\s+of|take\s+out|cut\s+out|lose)\s+(?P<what>\S.*)", _I
)
_PLACE_RE = re.compile(r"\b(?P<where>before|after)\s+(?P<what>\S.*)", _I)


def _unknown(words: str, workflow: Workflow, spans: tuple[Span, ...]) -> Edit:
    steps = ", ".join(f"**{n.label}**" for n in workflow.nodes)
    return refusal(f"I found no step matching “{plain(words, 60)}” (the steps are {steps}).",
                   spans)


def _pick(words: str, workflow: Workflow, spans: tuple[Span, ...]) -> Node | Edit:
    """The one step the words name, or a refusal saying none or several match."""
    nodes, _ = resolve(words, workflow)
    if not nodes:
        return _unknown(words, workflow, spans)
    if len(nodes) > 1:
        labels = " or ".join(f"**{n.label}**" for n in nodes)
        return refusal(f"“{plain(words, 60)}” could mean {labels}; say which one.", spans)
    return nodes[0]


def remove_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """Remove the named step and join its neighbours; later steps that read its output read
    what it read instead."""
    match = _REMOVE_RE.search(clause.text)
    if match is None:
        return None
    whole: tuple[Span, ...] = ((0, len(clause.text)),)
    node = _pick(match.group("what"), workflow, whole)
    if isinstance(node, Edit):
        return node
    if node.kind in TRIGGER_KINDS:
        return refusal("The trigger cannot be removed; say “run it manually” or “trigger it by "
                       "webhook instead” to change it.", whole)
    ops: list[PatchOp] = [RemoveNode(id=node.id)]
    parents = incoming(workflow, node.id)
    old = output_source(node)
    if old is not None and parents:
        after = apply_patch(workflow, Patch(ops=ops)).workflow
        read_instead = source_at(workflow, parents[0].source).expr
        ops += repoint(after, parents[0].source, old.expr, read_instead)
    joined = " and join the steps around it" if parents and outgoing(workflow, node.id) else ""
    return Edit(tuple(ops), f"**Remove** **{node.label}**{joined}.", (), whole)


def condition_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """A condition after the data it tests (a step its words name, else the first fetch);
    what followed that step now runs on the condition's true branch."""
    intent, span = find_condition(clause, masked)
    if intent is None:
        return None
    named, score = resolve(str(intent.params["phrase"]), workflow)
    producers = ordered(workflow, PRODUCERS)
    fetches = [n for n in producers if is_fetch(n)]
    anchor = (named[0] if len(named) == 1 and score >= 2 and named[0].kind in PRODUCERS
              else (fetches or producers or [trigger_of(workflow)])[0])
    ctx = Context(source_at(workflow, anchor.id), fetches[0].id if fetches else None)
    node_id = fresh_id(base_id(intent), workflow)
    built = build(intent, node_id, ctx)
    ops = insert_after(workflow, anchor, new_step(node_id, "condition", built.label, built.config))
    line = (f"**Add** **{built.label}** after **{anchor.label}**: {built.explain} The steps that "
            "followed it now run on that branch.")
    return Edit(tuple(ops), line, built.notes, (span,))


def delay_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """A wait before (or after) the step named, else before the first delivery."""
    intents = find_delay(clause, masked)
    if not intents:
        return None
    intent = intents[0]
    start = intent.pos - clause.start
    spans: tuple[Span, ...] = ((start, len(clause.text)),)
    place = _PLACE_RE.search(clause.text, start)
    node_id = fresh_id(base_id(intent), workflow)
    if place is not None:
        target = _pick(place.group("what"), workflow, spans)
        if isinstance(target, Edit):
            return target
        where = place.group("where").lower()
    else:
        deliveries = [n for n in ordered(workflow, {n.kind for n in workflow.nodes})
                      if is_delivery(n)]
        target, where = (deliveries[0], "before") if deliveries else (last_sink(workflow), "after")
    built = build(intent, node_id, Context(source_at(workflow, target.id)))
    step = new_step(node_id, "delay", built.label, built.config)
    if where == "before" and target.kind in TRIGGER_KINDS:
        return refusal("Nothing can run before the trigger; a wait goes after it.", spans)
    if where == "before":
        ops = insert_before(workflow, target, step)
    else:
        ops = insert_after(workflow, target, step)
    return Edit(tuple(ops), f"**Add** **{built.label}** {where} **{target.label}**.", (), spans)
