"""Graph validation: every rule from DESIGN.md, with messages a person (or a model) can act on."""

from __future__ import annotations

import json
from collections import Counter, defaultdict, deque
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from workflow_chat.graph.schema import Workflow
from workflow_chat.nodes import KINDS, TRIGGER_KINDS


class GraphInvalid(ValueError):
    """Raised when a graph breaks the rules; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _pydantic_errors(error: ValidationError, prefix: str = "") -> list[str]:
    out = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        msg = item["msg"].removeprefix("Value error, ")
        out.append(f"{prefix}{where}: {msg}" if where else f"{prefix}{msg}")
    return out


def graph_errors(workflow: Workflow) -> list[str]:
    """All rule violations of an already-parsed workflow; empty when it is valid."""
    errors: list[str] = []
    ids = Counter(n.id for n in workflow.nodes)
    node_ids = set(ids)
    for dup in sorted(i for i, seen in ids.items() if seen > 1):
        errors.append(f"node id {dup!r} is used more than once")
    edge_ids = Counter(e.id for e in workflow.edges)
    for dup in sorted(i for i, seen in edge_ids.items() if seen > 1):
        errors.append(f"edge id {dup!r} is used more than once")

    kinds = {n.id: n.kind for n in workflow.nodes}
    for node in workflow.nodes:
        kind = KINDS.get(node.kind)
        if kind is None:
            errors.append(
                f"node {node.id!r}: unknown kind {node.kind!r} (known: {', '.join(KINDS)})"
            )
            continue
        try:
            kind.config.model_validate(node.config)
        except ValidationError as exc:
            errors.extend(_pydantic_errors(exc, prefix=f"node {node.id!r} config."))

    triggers = [n.id for n in workflow.nodes if n.kind in TRIGGER_KINDS]
    if len(triggers) != 1:
        found = ", ".join(triggers) if triggers else "none"
        errors.append(f"a workflow needs exactly one trigger node (found: {found})")

    seen_pairs: set[tuple[str, str, str | None]] = set()
    for edge in workflow.edges:
        missing = [end for end in (edge.source, edge.target) if end not in node_ids]
        for end in missing:
            errors.append(f"edge {edge.id!r} refers to missing node {end!r}")
        if missing:
            continue
        if edge.source == edge.target:
            errors.append(f"edge {edge.id!r} connects node {edge.source!r} to itself")
        if kinds[edge.target] in TRIGGER_KINDS:
            errors.append(f"edge {edge.id!r} points into trigger {edge.target!r}")
        pair = (edge.source, edge.target, edge.branch)
        if pair in seen_pairs:
            errors.append(f"edge {edge.id!r} duplicates another edge")
        seen_pairs.add(pair)
        branches = KINDS[kinds[edge.source]].branches if kinds[edge.source] in KINDS else ()
        if branches and edge.branch not in branches:
            errors.append(
                f"edge {edge.id!r} leaves condition {edge.source!r} and must name its branch "
                f"({' or '.join(branches)})"
            )
        if not branches and edge.branch is not None:
            errors.append(f"edge {edge.id!r}: only condition nodes have branches")

    if errors:
        return errors
    errors.extend(_cycle_errors(workflow))
    if not errors and len(triggers) == 1:
        errors.extend(_reachability_errors(workflow, triggers[0]))
    return errors


def _cycle_errors(workflow: Workflow) -> list[str]:
    indegree: dict[str, int] = {n.id: 0 for n in workflow.nodes}
    out: dict[str, list[str]] = defaultdict(list)
    for edge in workflow.edges:
        out[edge.source].append(edge.target)
        indegree[edge.target] += 1
    queue = deque(n for n, d in indegree.items() if d == 0)
    visited = 0
    while queue:
        current = queue.popleft()
        visited += 1
        for target in out[current]:
            indegree[target] -= 1
            if indegree[target] == 0:
                queue.append(target)
    if visited == len(indegree):
        return []
    in_cycle = sorted(n for n, d in indegree.items() if d > 0)
    return [f"the graph has a cycle through {', '.join(in_cycle)}"]


def _reachability_errors(workflow: Workflow, trigger: str) -> list[str]:
    out: dict[str, list[str]] = defaultdict(list)
    for edge in workflow.edges:
        out[edge.source].append(edge.target)
    reached = {trigger}
    stack = [trigger]
    while stack:
        for target in out[stack.pop()]:
            if target not in reached:
                reached.add(target)
                stack.append(target)
    orphans = [n.id for n in workflow.nodes if n.id not in reached]
    return [f"node {n!r} cannot be reached from the trigger" for n in orphans]


def parse_workflow(data: Any) -> Workflow:
    """Parse and validate JSON-like data; raises GraphInvalid listing every problem."""
    if isinstance(data, Workflow):
        workflow = data
    else:
        try:
            workflow = Workflow.model_validate(data)
        except ValidationError as exc:
            raise GraphInvalid(_pydantic_errors(exc)) from None
    errors = graph_errors(workflow)
    if errors:
        raise GraphInvalid(errors)
    return _normalised(workflow)


def _normalised(workflow: Workflow) -> Workflow:
    """Store configs with their defaults filled in, so every consumer sees the same fields."""
    nodes = [
        node.model_copy(
            update={
                "config": KINDS[node.kind].config.model_validate(node.config).model_dump(mode="json")
            }
        )
        for node in workflow.nodes
    ]
    return workflow.model_copy(update={"nodes": nodes})


def parse_stored(data: dict[str, Any]) -> Workflow:
    """parse_workflow for a graph read back from the database, cached by content: a stored
    version never changes, and runs and webhooks read the same one over and over. The result
    is shared: read it, never change it."""
    return _parse_cached(json.dumps(data, sort_keys=True))


@lru_cache(maxsize=512)
def _parse_cached(text: str) -> Workflow:
    return parse_workflow(json.loads(text))
