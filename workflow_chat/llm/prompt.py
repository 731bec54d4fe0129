"""The system prompt that teaches a model the node registry, the graph rules and the answer format.

Everything kind-specific is read from the registry (`KINDS`), so adding a node kind changes the
prompt without touching this file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from workflow_chat.graph import Workflow
from workflow_chat.nodes import KINDS, NodeKind

# A complete, valid answer: models follow an example more reliably than a description alone.
# The unit tests parse its workflow, so it cannot drift out of step with the validator.
EXAMPLE_ANSWER: dict[str, Any] = {
    "message": (
        "Every weekday at 09:00 this fetches your open GitHub issues, summarises them and "
        "posts the summary to Slack. Add the secrets `GITHUB_TOKEN` and `SLACK_WEBHOOK_URL`."
    ),
    "workflow": {
        "schema": 1,
        "name": "Daily issue summary",
        "description": "Summarise open GitHub issues to Slack every weekday morning.",
        "nodes": [
            {"id": "every_weekday", "kind": "schedule", "label": "Weekdays 09:00",
             "config": {"cron": "0 9 * * 1-5", "timezone": "UTC"}},
            {"id": "fetch", "kind": "http_request", "label": "Fetch open issues",
             "config": {"method": "GET",
                        "url": "https://api.github.com/repos/OWNER/REPO/issues?state=open",
                        "headers": {"Authorization": "Bearer {{ secrets.GITHUB_TOKEN }}"}}},
            {"id": "summarise", "kind": "llm", "label": "Summarise",
             "config": {"operation": "summarise", "prompt": "Summarise these issues in 5 bullets.",
                        "input": "{{ nodes.fetch.output.body }}"}},
            {"id": "post", "kind": "slack", "label": "Post to Slack",
             "config": {"text": "{{ nodes.summarise.output.text }}",
                        "webhook_secret": "SLACK_WEBHOOK_URL"}},
        ],
        "edges": [
            {"id": "e1", "source": "every_weekday", "target": "fetch", "branch": None},
            {"id": "e2", "source": "fetch", "target": "summarise", "branch": None},
            {"id": "e3", "source": "summarise", "target": "post", "branch": None},
        ],
    },
    "patch": None,
}

# A follow-up on EXAMPLE_ANSWER's graph ("also email it to me, and run at 8"); the unit tests
# apply it, so it stays a valid patch.
EXAMPLE_PATCH_ANSWER: dict[str, Any] = {
    "message": "Now it also emails the summary to you, and runs at 08:00 instead of 09:00.",
    "workflow": None,
    "patch": {"ops": [
        {"op": "add_node", "id": "mail", "kind": "email", "label": "Email the summary",
         "config": {"to": "me@example.com", "subject": "Open issues",
                    "body": "{{ nodes.summarise.output.text }}"},
         "after": "summarise"},
        {"op": "update_node", "id": "every_weekday", "label": "Weekdays 08:00",
         "config": {"cron": "0 8 * * 1-5"}},
    ]},
}

_INTRO = """\
You design automation workflows for the app workflow-chat. A person describes an automation in \
plain words; you answer with ONE JSON object and nothing else, "message" first:
{"message": "<markdown for the person>", "workflow": <graph object, or null>, \
"patch": {"ops": [<op>, ...]} or null}
- "message": short; say what the workflow does (or what you changed) and which secrets the \
person must add. If the request is too vague to build, ask one clear question and set \
"workflow" and "patch" to null.
- "workflow": a COMPLETE graph, only when there is no current workflow yet or the person asks \
to start over.
- "patch": when a current workflow is shown at the end, edit it with ops instead of resending \
it, so the person's own edits and layout survive. Set "workflow" to null then.
Graph: {"schema": 1, "name": str, "description": str, "nodes": [{"id": str, "kind": str, \
"label": str, "config": {...}}], "edges": [{"id": str, "source": node id, "target": node id, \
"branch": "true" | "false" | null}]}"""

# One line per op in graph/patch_ops.py; a unit test checks none is missing.
_PATCH_OPS = """\
Patch ops, applied in order (the edited graph must still follow every rule):
- {"op": "add_node", "id", "kind", "label", "config", "after": id | null, "before": id | null, \
"branch": "true" | "false" | null}: add an action step. With "after", connect after → it (on \
"branch" when after is a condition); with "before" too, insert it between after and before.
- {"op": "update_node", "id", "label": str | null, "config": {...}}: change a step; the config \
keys given are merged into its config, so send only the keys that change.
- {"op": "remove_node", "id", "reconnect": bool}: remove a step and its edges; with reconnect \
(default true) its parents are joined to its children.
- {"op": "connect", "source", "target", "branch": "true" | "false" | null}: add an edge.
- {"op": "disconnect", "source", "target"}: remove the edge between two steps.
- {"op": "rename", "name", "description": str | null}: rename the workflow itself.
- {"op": "set_trigger", "kind": "manual" | "schedule" | "webhook", "config", "label": str | \
null}: replace the trigger's kind and config; its id and outgoing edges stay."""

_CURRENT = """\
Current workflow (the person may have edited it or moved steps by hand; positions are left \
out):
{graph}
Answer a change request with "patch" ops on this graph, referring to its steps by id, and \
"workflow": null. Send a complete "workflow" only when the person asks to start over."""

# The person's project prompt is theirs to write: it may shape the workflows and the tone, but the
# answer format and the graph rules above still decide what is accepted.
_PROJECT = """\
Instructions from the person's project (follow them unless they conflict with the answer \
format or the rules above):
{text}"""

_RULES = """\
Rules (a graph that breaks one is rejected):
- Node ids are unique, short and meaningful, only letters, digits, _ and -. Edge ids are unique.
- Use only the node kinds listed below. "config" holds only fields from that kind's schema, with \
every required field; no other fields.
- Exactly one trigger node; no edge points into it.
- No cycles; every node is reachable from the trigger.
- Edges leaving a condition node set "branch" to "true" or "false"; every other edge has \
"branch": null.
- Use earlier results with Jinja templates: {{ nodes.<id>.output.<field> }} (outputs are listed \
per kind). A condition's expression is bare Jinja, without {{ }}.
- Secrets (tokens, passwords, webhook URLs) only by name: {{ secrets.NAME }}, NAME in \
UPPER_SNAKE_CASE. Never write a secret value, even if the person gives one.
- Leave out "position": the canvas lays the graph out."""


# Hints for the inspector form (graph/form_fields.py): noise for a model.
_FORM_ONLY_KEYS = {"title", "widget", "show_if", "syntax"}


def compact_schema(schema: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's 'title' annotations and the inspector's form hints (noise for a model),
    but keep fields that happen to be named like them."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: compact_schema(value, in_properties=(key == "properties" and not in_properties))
        for key, value in schema.items()
        if in_properties or key not in _FORM_ONLY_KEYS
    }



def describe_kind(kind: NodeKind) -> str:
    """One prompt line for a kind: name, category, description, config schema, outputs."""
    schema = compact_schema(kind.config_schema())
    # additionalProperties:false is on every kind; the rules already say "no other fields".
    schema.pop("additionalProperties", None)
    branches = f" Branches: {', '.join(kind.branches)}." if kind.branches else ""
    return (
        f"- {kind.name} ({kind.category}): {kind.description}{branches} "
        f"Output: {kind.outputs} Config schema: {json.dumps(schema, separators=(',', ':'))}"
    )


@lru_cache(maxsize=1)
def build_system_prompt() -> str:
    """The full system prompt. Stable for the life of the process (the registry is static),
    so it is built once; it never contains user data or secrets."""
    kinds = "\n".join(describe_kind(kind) for kind in KINDS.values())
    example = json.dumps(EXAMPLE_ANSWER, separators=(",", ":"))
    follow_up = json.dumps(EXAMPLE_PATCH_ANSWER, separators=(",", ":"))
    return (
        f"{_INTRO}\n\n{_RULES}\n\n{_PATCH_OPS}\n\nNode kinds:\n{kinds}\n\n"
        f"Example answer:\n{example}\n\nExample answer to a follow-up on that graph:\n"
        f"{follow_up}\n\nAnswer with the JSON object only."
    )


def graph_for_prompt(workflow: Workflow) -> dict[str, Any]:
    """The graph as the model sees it: canonical JSON without positions (layout is the
    canvas's business, and leaving it out saves tokens and keeps the model from moving nodes)."""
    data = workflow.to_json()
    for node in data["nodes"]:
        node.pop("position", None)
    return data


def system_prompt(current: Workflow | None = None, instructions: str | None = None) -> str:
    """The system prompt for a turn: the fixed part, then the project's own instructions (its
    active system prompt) when given, then the current graph when there is one.

    The fixed part comes first and is identical across turns, so providers' prompt caches
    can reuse it."""
    parts = [build_system_prompt()]
    if instructions and instructions.strip():
        parts.append(_PROJECT.format(text=instructions.strip()))
    if current is not None:
        graph = json.dumps(graph_for_prompt(current), separators=(",", ":"), ensure_ascii=False)
        parts.append(_CURRENT.format(graph=graph))
    return "\n\n".join(parts)
