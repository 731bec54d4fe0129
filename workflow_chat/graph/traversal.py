"""Walking a workflow graph: parents, children and a stable topological order.

Read-only helpers over `Workflow`; they tolerate graphs that are not valid yet (a patch in
progress), so nothing here raises for a dangling edge.
"""

from __future__ import annotations

from collections import deque

from workflow_chat.graph.schema import Edge, Workflow


def incoming(workflow: Workflow, node_id: str) -> list[Edge]:
    return [e for e in workflow.edges if e.target == node_id]


def outgoing(workflow: Workflow, node_id: str) -> list[Edge]:
    return [e for e in workflow.edges if e.source == node_id]


def topological_order(workflow: Workflow) -> list[str]:
    """Node ids, every source before its targets; ties keep the order of `workflow.nodes`.

    Nodes on a cycle (an invalid graph) come last, in list order, so callers always get every id.
    """
    ids = [n.id for n in workflow.nodes]
    rank = {node_id: i for i, node_id in enumerate(ids)}
    indegree = dict.fromkeys(ids, 0)
    for edge in workflow.edges:
        if edge.source in indegree and edge.target in indegree:
            indegree[edge.target] += 1
    ready = deque(sorted((i for i in ids if indegree[i] == 0), key=rank.__getitem__))
    order: list[str] = []
    while ready:
        current = ready.popleft()
        order.append(current)
        freed = []
        for edge in outgoing(workflow, current):
            if edge.target in indegree:
                indegree[edge.target] -= 1
                if indegree[edge.target] == 0:
                    freed.append(edge.target)
        # Merging keeps the list order among everything ready, so a chain reads top to bottom.
        ready = deque(sorted([*ready, *freed], key=rank.__getitem__))
    done = set(order)
    return order + [i for i in ids if i not in done]
