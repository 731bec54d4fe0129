"""Validation problems per node, for the canvas overlay and the inspector.

The rules stay in one place (validate.graph_errors); this module only tells which node each
message is about, so the canvas can mark the node and show the reason.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from workflow_chat.graph.form_fields import field_spec
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.graph.validate import graph_errors

# Messages that name several nodes without quotes (see validate.py).
_LISTED = (
    (re.compile(r"^node id '(.+)' is used more than once$"), "Another step has the same id."),
    (re.compile(r"^the graph has a cycle through (.+)$"), "This step is part of a loop."),
    (re.compile(r"^a workflow needs exactly one trigger node \(found: (.+)\)$"),
     "A workflow has exactly one trigger; remove the others."),
)


def _node_message(message: str, node: Node) -> str:
    """"node 'fetch' config.url: url must …" → "URL: url must …" (the field's form label)."""
    rest = message.removeprefix(f"node {node.id!r}").lstrip(" :")
    if rest.startswith("config."):
        field, _, reason = rest.removeprefix("config.").partition(": ")
        spec = field_spec(node.kind, field.split(".")[0])
        return f"{spec.label if spec else field}: {reason}"
    return rest[:1].upper() + rest[1:]


def _from_parse_error(data: dict[str, Any], error: ValidationError) -> dict[str, list[str]]:
    """Problems of a graph that does not even parse: per node index, where the error says so."""
    nodes = data.get("nodes") if isinstance(data.get("nodes"), list) else []
    out: dict[str, list[str]] = {}
    for item in error.errors():
        loc = item["loc"]
        if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int) and loc[1] < len(nodes):
            node = nodes[loc[1]]
            node_id = node.get("id") if isinstance(node, dict) else None
            if isinstance(node_id, str) and node_id:
                where = ".".join(str(p) for p in loc[2:])
                out.setdefault(node_id, []).append(f"{where}: {item['msg']}" if where else item["msg"])
    return out


def node_problems(workflow_json: dict[str, Any] | Workflow) -> dict[str, list[str]]:
    """{node id: [problem, ...]} for every node a rule violation concerns; valid graphs give {}.

    Edge problems go to the edge's source node (or to the end that exists when the other is
    missing); a cycle marks every node on it; extra triggers are each marked. Problems that
    concern no node (a graph without a trigger) are left out: the chat reports those.
    """
    if isinstance(workflow_json, Workflow):
        workflow = workflow_json
    else:
        try:
            workflow = Workflow.model_validate(workflow_json)
        except ValidationError as exc:
            return _from_parse_error(workflow_json, exc)
    out: dict[str, list[str]] = {}

    def add(node_id: str, message: str) -> None:
        if workflow.node(node_id) is not None and message not in out.get(node_id, []):
            out.setdefault(node_id, []).append(message)

    for message in graph_errors(workflow):
        node = next((n for n in workflow.nodes if message.startswith(f"node {n.id!r}")), None)
        if node is not None:
            add(node.id, _node_message(message, node))
            continue
        edge = next((e for e in workflow.edges if message.startswith(f"edge {e.id!r}")), None)
        if edge is not None:
            ends = [edge.source, edge.target] if "missing node" in message else [edge.source]
            rest = message.removeprefix(f"edge {edge.id!r}").lstrip(" :")
            for end in ends:
                add(end, f"Connection {edge.source} → {edge.target}: {rest}")
            continue
        for pattern, text in _LISTED:
            if match := pattern.match(message):
                for node_id in match.group(1).split(", "):
                    add(node_id, text)
    return out
