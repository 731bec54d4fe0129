"""Assemble the workflow: the trigger, then the steps in a chain, each reading the data before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow_chat.graph import Workflow, parse_workflow
from workflow_chat.llm.offline.actions import cap, fallback_intent, find_actions
from workflow_chat.llm.offline.asides import without_asides
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.joins import parallelise
from workflow_chat.llm.offline.sentence import blank, mask, plain, split_clauses
from workflow_chat.llm.offline.step_configs import Context, Source, base_id, build
from workflow_chat.llm.offline.triggers import Trigger, detect_trigger

Json = dict[str, Any]
_TRIGGER_SOURCES = {
    "manual": Source("nodes.trigger.output", "run input", False),
    "schedule": Source("nodes.trigger.output.scheduled_at", "scheduled time", True),
    "webhook": Source("nodes.trigger.output.body", "request body", False),
}


@dataclass(frozen=True)
class PlannedStep:
    node_id: str
    kind: str
    label: str
    explain: str


@dataclass(frozen=True)
class Plan:
    workflow: Workflow
    steps: tuple[PlannedStep, ...]  # the trigger first, in chain order
    notes: tuple[str, ...]
    understood: bool  # False when no step was recognised and the fallback step was used


def build_plan(message: str) -> Plan:
    """Read the message and build a workflow that has passed `parse_workflow`."""
    masked = without_asides(mask(message))
    trigger = detect_trigger(masked.text)
    clauses = split_clauses(blank(masked.text, list(trigger.spans)))
    intents, notes = cap(parallelise(find_actions(clauses, masked), masked.text))
    understood = bool(intents)
    if not intents:
        intents = [fallback_intent(masked.original)]
    nodes, edges, steps, step_notes = _graph(trigger, intents)
    name = " → ".join(s.label for s in steps[1:4]) or trigger.label
    data: Json = {
        "schema": 1,
        "name": plain(name, 200),
        "description": plain(masked.original, 2000),
        "nodes": nodes,
        "edges": edges,
    }
    all_notes = list(trigger.notes) + step_notes + notes
    return Plan(parse_workflow(data), tuple(steps), tuple(dict.fromkeys(all_notes)), understood)


def _graph(
    trigger: Trigger, intents: list[Intent]
) -> tuple[list[Json], list[Json], list[PlannedStep], list[str]]:
    """Nodes, edges, reply lines and notes: a chain, forking where "otherwise" follows a test
    and where parallel fetches start, joining again at their merge.

    A step after a condition hangs off its "true" branch; the first step of an "otherwise"
    clause hangs off its "false" branch and works on the data the condition tested. Parallel
    fetches all hang off the step before the first of them; their merge waits on each.
    """
    nodes = [_node("trigger", trigger.kind, trigger.label, trigger.config)]
    steps = [PlannedStep("trigger", trigger.kind, trigger.label, trigger.explain)]
    edges: list[Json] = []
    ctx = Context(_TRIGGER_SOURCES[trigger.kind])
    taken, notes = {"trigger"}, []
    previous, previous_kind = "trigger", trigger.kind
    fork: tuple[str, Source] | None = None  # the last condition still open, and its data
    split: tuple[str, str | None] | None = None  # where parallel branches start, and on which
    ends: list[str] = []  # the parallel branches waiting for their merge
    for intent in intents:
        node_id = _unique(base_id(intent), taken)
        sources = [(previous, "true" if previous_kind == "condition" else None)]
        prefix = ""
        if intent.otherwise and fork is not None:
            sources, ctx.source = [(fork[0], "false")], fork[1]
            prefix, fork = "Otherwise (the **false** branch): ", None
        elif intent.params.get("parallel"):
            split = split or sources[0]
            sources, prefix = [split], "In parallel: "
        elif intent.kind == "merge" and ends:
            sources, split, ends = [(end, None) for end in ends], None, []
        built = build(intent, node_id, ctx)
        nodes.append(_node(node_id, intent.kind, built.label, built.config))
        for source, branch in sources:
            edges.append({"id": f"e{len(edges) + 1}", "source": source, "target": node_id,
                          "branch": branch})
        steps.append(PlannedStep(node_id, intent.kind, built.label, prefix + built.explain))
        notes.extend(built.notes)
        if intent.kind == "condition":
            fork = (node_id, ctx.source)
        if built.output is not None:
            ctx.source = built.output
        if intent.kind == "http_request":
            ctx.http_id, ctx.joined_ids = node_id, ()
        if intent.kind == "merge":  # "if either is down" then tests each branch it waited for
            waited = intent.params.get("mode") == "all"
            ctx.joined_ids = tuple(s for s, _ in sources) if waited else ()
        if intent.params.get("parallel"):
            ends.append(node_id)
        previous, previous_kind = node_id, intent.kind
    return nodes, edges, steps, notes


def _node(node_id: str, kind: str, label: str, config: Json) -> Json:
    # Positions stay at 0,0: the canvas lays the graph out with elkjs.
    label = plain(label, 120) or kind
    return {"id": node_id, "kind": kind, "label": label, "config": config,
            "position": {"x": 0, "y": 0}}


def _unique(stem: str, taken: set[str]) -> str:
    node_id, n = stem, 1
    while node_id in taken:
        n += 1
        node_id = f"{stem}_{n}"
    taken.add(node_id)
    return node_id
