"""The shape of a run: nodes in topological order with their incoming edges."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow_chat.graph.schema import Edge, Node, Workflow


@dataclass
class RunPlan:
    order: list[Node]
    incoming: dict[str, list[Edge]] = field(default_factory=dict)


def plan_run(workflow: Workflow) -> RunPlan:
    """Topological order (Kahn, ties in the graph's own node order so replays reserve the same
    step ids). The graph was validated before it was stored, so it has no cycles."""
    incoming: dict[str, list[Edge]] = {n.id: [] for n in workflow.nodes}
    outgoing: dict[str, list[str]] = {n.id: [] for n in workflow.nodes}
    for edge in workflow.edges:
        incoming[edge.target].append(edge)
        outgoing[edge.source].append(edge.target)
    remaining = {node_id: len(edges) for node_id, edges in incoming.items()}
    by_id = {n.id: n for n in workflow.nodes}
    ready = [n.id for n in workflow.nodes if remaining[n.id] == 0]
    order: list[Node] = []
    while ready:
        node_id = ready.pop(0)
        order.append(by_id[node_id])
        for target in outgoing[node_id]:
            remaining[target] -= 1
            if remaining[target] == 0:
                ready.append(target)
    return RunPlan(order=order, incoming=incoming)
