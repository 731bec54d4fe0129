"""The system prompt that teaches a model the node registry, the graph rules and the answer format.

Everything kind-specific is read from the registry (`KINDS`), so adding a node kind changes the
prompt without touching this file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

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
}

_INTRO = """\
You design automation workflows for the app workflow-chat. A person describes an automation in \
plain words; you answer with ONE JSON object and nothing else:
{"message": "<markdown for the person>", "workflow": <graph object, or null>}
- "message": short; say what the workflow does and which secrets the person must add. If the \
request is too vague to build, ask one clear question and set "workflow" to null.
- "workflow": the COMPLETE graph, also when you change an earlier one.
Graph: {"schema": 1, "name": str, "description": str, "nodes": [{"id": str, "kind": str, \
"label": str, "config": {...}}], "edges": [{"id": str, "source": node id, "target": node id, \
"branch": "true" | "false" | null}]}"""

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


def _compact_schema(schema: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's 'title' annotations (noise for a model) but keep fields named 'title'."""
    if isinstance(schema, list):
        return [_compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: _compact_schema(value, in_properties=(key == "properties" and not in_properties))
        for key, value in schema.items()
        if in_properties or key != "title"
    }


def describe_kind(kind: NodeKind) -> str:
    """One prompt line for a kind: name, category, description, config schema, outputs."""
    schema = _compact_schema(kind.config_schema())
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
    return (
        f"{_INTRO}\n\n{_RULES}\n\nNode kinds:\n{kinds}\n\n"
        f"Example answer:\n{example}\n\nAnswer with the JSON object only."
    )
