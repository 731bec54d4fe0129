"""A chat turn answered by the offline planner (no model configured): `plan` builds a first
graph, `refine` turns a follow-up into a patch on the current one."""

from __future__ import annotations

import logging

from workflow_chat.graph import GraphInvalid, Workflow
from workflow_chat.graph.patch import PatchError, apply_patch
from workflow_chat.llm.generate import AssistantReply

log = logging.getLogger(__name__)


def offline_reply(message: str, current: Workflow | None) -> AssistantReply:
    """The planner's reply (source "offline"). Never raises: a patch the planner got wrong is
    reported in the text and the current graph stays as it was."""
    from workflow_chat.llm.offline import plan, refine

    if current is None:
        planned = plan(message)
        return AssistantReply(text=planned.text, workflow=planned.workflow, source="offline")
    refined = refine(message, current)
    if refined.patch is None:  # the planner explains what it could not do
        return AssistantReply(text=refined.text, workflow=None, source="offline")
    try:
        result = apply_patch(current, refined.patch)
    except (PatchError, GraphInvalid) as exc:
        # A planner rule produced an invalid edit: a bug to fix, but the chat still answers.
        log.warning("offline refine produced an invalid patch: %s", exc.errors)
        text = (
            "I could not apply that change, so the workflow is unchanged "
            f"({'; '.join(exc.errors[:3])}). Try describing it differently."
        )
        return AssistantReply(text=text, workflow=None, source="offline")
    return AssistantReply(
        text=refined.text, workflow=result.workflow, source="offline",
        patch=refined.patch, result=result,
    )
