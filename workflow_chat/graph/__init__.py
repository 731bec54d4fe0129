"""The workflow graph: schema, validation."""

from workflow_chat.graph.schema import Edge, Node, Position, Workflow
from workflow_chat.graph.validate import GraphInvalid, graph_errors, parse_workflow

__all__ = ["Edge", "GraphInvalid", "Node", "Position", "Workflow", "graph_errors", "parse_workflow"]
