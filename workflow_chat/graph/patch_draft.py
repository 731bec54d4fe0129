"""The graph a patch is being applied to: a mutable copy plus what the ops have touched.

`apply_patch` (graph/patch.py) runs each op against a `Draft`; the draft only offers the
small edits the ops need and the wording of "not found" problems, so every op reports
missing ids the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow_chat.graph.schema import Edge, Node, Position, Workflow
from workflow_chat.nodes import TRIGGER_KINDS

_EDGE_ID_RE = re.compile(r"^e([0-9]{1,9})$")


@dataclass
class Draft:
    nodes: list[Node]
    edges: list[Edge]
    name: str
    description: str
    added: list[str] = field(default_factory=list)  # in the order the ops added them
    touched: list[str] = field(default_factory=list)  # named by update/connect/… ops
    removed: list[str] = field(default_factory=list)  # ids that existed before the patch

    @classmethod
    def of(cls, workflow: Workflow) -> Draft:
        copy = workflow.model_copy(deep=True)
        return cls(list(copy.nodes), list(copy.edges), copy.name, copy.description)

    def to_workflow(self) -> Workflow:
        return Workflow(name=self.name, description=self.description,
                        nodes=self.nodes, edges=self.edges)

    # --- questions -------------------------------------------------------------------------

    def get(self, node_id: str | None) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def missing(self, node_id: str) -> str:
        """The problem text for an id that is not in the graph, listing the ids that are."""
        existing = ", ".join(n.id for n in self.nodes) or "none"
        return f"no node {node_id!r}; existing ids: {existing}"

    def trigger(self) -> Node | None:
        return next((n for n in self.nodes if n.kind in TRIGGER_KINDS), None)

    def edges_between(self, source: str, target: str) -> list[Edge]:
        return [e for e in self.edges if e.source == source and e.target == target]

    def has_edge(self, source: str, target: str, branch: str | None) -> bool:
        return any(e.branch == branch for e in self.edges_between(source, target))

    def targets_of(self, source: str) -> str:
        """For problem texts: where the node's edges go, e.g. "summarise, email" or "nowhere"."""
        return ", ".join(e.target for e in self.edges if e.source == source) or "nowhere"

    def positions(self) -> list[Position]:
        return [n.position for n in self.nodes]

    # --- edits -----------------------------------------------------------------------------

    def replace(self, node: Node) -> None:
        self.nodes = [node if n.id == node.id else n for n in self.nodes]

    def insert(self, node: Node, after: str | None) -> None:
        """Add the node to the list right after `after` (the JSON reads in flow order)."""
        index = next((i + 1 for i, n in enumerate(self.nodes) if n.id == after), len(self.nodes))
        self.nodes.insert(index, node)

    def connect(self, source: str, target: str, branch: str | None) -> None:
        """Add an edge with a fresh id e<N>, N past every e<number> id in the graph."""
        ids = {e.id for e in self.edges}
        numbers = [int(m.group(1)) for e in self.edges if (m := _EDGE_ID_RE.match(e.id))]
        number = max(numbers, default=0) + 1
        while f"e{number}" in ids:
            number += 1
        self.edges.append(Edge(id=f"e{number}", source=source, target=target, branch=branch))

    def drop_edges(self, doomed: list[Edge]) -> None:
        gone = {id(e) for e in doomed}
        self.edges = [e for e in self.edges if id(e) not in gone]

    def drop_node(self, node_id: str) -> None:
        self.nodes = [n for n in self.nodes if n.id != node_id]
        self.edges = [e for e in self.edges if node_id not in (e.source, e.target)]
        if node_id in self.added:
            self.added.remove(node_id)  # added and removed in one patch: never existed
        else:
            self.removed.append(node_id)
        if node_id in self.touched:
            self.touched.remove(node_id)

    def touch(self, *node_ids: str) -> None:
        for node_id in node_ids:
            if node_id not in self.added and node_id not in self.touched:
                self.touched.append(node_id)
