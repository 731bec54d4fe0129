"""A small laid-out workflow and a patch shortcut, shared by the patch tests."""

from workflow_chat.graph import parse_workflow
from workflow_chat.graph.patch import apply_patch
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.graph.schema import Workflow

SLACK = {"text": "{{ nodes.summarise.output.text }}"}


def digest() -> Workflow:
    """A laid-out graph: trigger → fetch → summarise → email, one node every 130 px."""
    return parse_workflow({
        "name": "Digest",
        "nodes": [
            {"id": "trigger", "kind": "schedule", "label": "Every day at 08:00",
             "config": {"cron": "0 8 * * *"}, "position": {"x": 100, "y": 0}},
            {"id": "fetch", "kind": "http_request", "label": "Fetch items",
             "config": {"url": "https://example.com/items"}, "position": {"x": 100, "y": 130}},
            {"id": "summarise", "kind": "llm", "label": "Summarise",
             "config": {"operation": "summarise", "prompt": "Summarise",
                        "input": "{{ nodes.fetch.output.body }}"},
             "position": {"x": 100, "y": 260}},
            {"id": "email", "kind": "email", "label": "Email summary",
             "config": {"to": "me@example.com", "subject": "Summary",
                        "body": "{{ nodes.summarise.output.text }}"},
             "position": {"x": 100.5, "y": 390.25}},
        ],
        "edges": [
            {"id": "e1", "source": "trigger", "target": "fetch"},
            {"id": "e2", "source": "fetch", "target": "summarise"},
            {"id": "e3", "source": "summarise", "target": "email"},
        ],
    })


def apply(workflow: Workflow, *ops) -> Workflow:
    """The workflow after the ops, as one patch."""
    return apply_patch(workflow, Patch(ops=list(ops))).workflow
