"""Turn a read answer into a validated result against the chat's current graph, and word the
repair request when that fails.

Which part of the answer counts:
- a patch, when there is a current graph: applied with apply_patch (a workflow sent alongside
  is ignored: edits keep the person's layout, a rebuild would not);
- a workflow: parsed as a complete graph, a first one or a deliberate rebuild of the current;
- a patch without a current graph: rejected with a request to send the whole graph instead;
- neither: a text-only answer (a question back to the person).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow_chat.graph import GraphInvalid, Workflow, parse_workflow
from workflow_chat.graph.patch import PatchError, PatchResult, apply_patch
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.llm.answer import ANSWER_SHAPE, Answer, AnswerInvalid

# Enough for the model to fix everything at once without flooding a small context window.
MAX_REPAIR_ERRORS = 20
_ERROR_CHARS = 400
NO_CURRENT = (
    'there is no current workflow yet, so a patch cannot be applied: send the complete graph '
    'in "workflow" and set "patch" to null'
)


@dataclass(frozen=True)
class Outcome:
    text: str
    workflow: Workflow | None  # the resulting complete graph, when the answer produced one
    patch: Patch | None = None
    result: PatchResult | None = None


def interpret(answer: Answer, current: Workflow | None) -> Outcome:
    """Validate the answer's graph or apply its patch. Raises AnswerInvalid with the
    validator's or apply_patch's exact errors."""
    if answer.patch is not None and current is not None:
        try:
            result = apply_patch(current, answer.patch)
        except (PatchError, GraphInvalid) as exc:
            raise AnswerInvalid(exc.errors) from None
        return Outcome(answer.text, result.workflow, answer.patch, result)
    if answer.workflow is not None:
        try:
            workflow = parse_workflow(answer.workflow)
        except GraphInvalid as exc:
            raise AnswerInvalid(exc.errors) from None
        return Outcome(answer.text, workflow)
    if answer.patch is not None:
        raise AnswerInvalid([NO_CURRENT])
    return Outcome(answer.text, None)


def repair_request(errors: list[str]) -> str:
    """The user turn that sends the errors back: every one of them (up to a limit), exactly as
    the validator worded them, and what to send instead."""
    shown = [e if len(e) <= _ERROR_CHARS else e[: _ERROR_CHARS - 1] + "…"
             for e in errors[:MAX_REPAIR_ERRORS]]
    more = len(errors) - len(shown)
    lines = "\n".join(f"- {e}" for e in shown) + (f"\n- … and {more} more" if more > 0 else "")
    return (
        "Your answer could not be used; nothing was changed. Problems:\n"
        f"{lines}\n"
        f"Send the complete corrected answer again as one JSON object {ANSWER_SHAPE}, "
        "fixing every problem listed and following the rules and node kinds in the "
        "instructions."
    )
