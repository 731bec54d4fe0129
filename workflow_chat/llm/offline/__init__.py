"""The offline planner: a rule-based stand-in for the LLM when no key is set.

It reads common requests ("every morning at 8 fetch https://… and email me a summary") and
always answers with a valid workflow, so the app works without a model.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow_chat.graph import Workflow, parse_workflow
from workflow_chat.llm.offline.planner import build_plan
from workflow_chat.llm.offline.refine import RefineReply, refine
from workflow_chat.llm.offline.reply import SIGNATURE, compose_reply

__all__ = ["PlannerReply", "RefineReply", "plan", "refine"]


@dataclass(frozen=True)
class PlannerReply:
    text: str  # markdown for the chat, explaining what was built step by step
    workflow: Workflow  # always valid: it has passed parse_workflow()


def plan(message: str) -> PlannerReply:
    """Plan a workflow from plain words. Never raises: any input gives a valid workflow."""
    try:
        built = build_plan(message if isinstance(message, str) else str(message))
        return PlannerReply(compose_reply(built), built.workflow)
    except Exception:  # the chat must always get an answer; a rule bug should not break it
        return _last_resort()


def _last_resort() -> PlannerReply:
    workflow = parse_workflow({
        "name": "Untitled workflow",
        "nodes": [
            {"id": "trigger", "kind": "manual", "label": "Run manually"},
            {"id": "generate", "kind": "llm", "label": "Answer the request",
             "config": {"operation": "generate", "prompt": "Describe the automation to build."}},
        ],
        "edges": [{"id": "e1", "source": "trigger", "target": "generate"}],
    })
    text = (
        "I could not read this request, so here is a starting point: a manual trigger and one "
        "LLM step. Describe when it should run and each step, for example "
        "\"every day at 9 fetch https://example.com/api/items and email me a summary\".\n\n"
        + SIGNATURE
    )
    return PlannerReply(text, workflow)
