"""Follow-up requests without a model: "also post it to Slack", "make it 8am", "remove the
email step" … become a typed patch (graph/patch_ops.py) on the current graph, so positions
and edits the person made survive.

The request is cut into clauses with the planner's splitter; each clause goes through the
edit readers in a fixed order, each later one seeing the graph as the earlier ones left it
and not the words they used up ("delete the slack node" removes, and does not also add, a
Slack step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workflow_chat.graph.patch import apply_patch
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.graph.schema import Workflow
from workflow_chat.llm.offline.edit_additions import delivery_edit, llm_edit
from workflow_chat.llm.offline.edit_ops import Edit
from workflow_chat.llm.offline.edit_settings import recipient_edit, rename_edit, url_edit
from workflow_chat.llm.offline.edit_steps import condition_edit, delay_edit, remove_edit
from workflow_chat.llm.offline.edit_trigger import trigger_edit
from workflow_chat.llm.offline.reply import SIGNATURE
from workflow_chat.llm.offline.sentence import Clause, Masked, blank, mask, split_clauses

MAX_OPS = 50  # Patch's own limit
ClauseEdit = Callable[[Clause, Masked, Workflow], Edit | None]
# Removal first (its words name a step, not a new one); the trigger before conditions (so
# "when a webhook is called" is no test); new steps last, reading the graph the rest made.
_CLAUSE_EDITS: tuple[ClauseEdit, ...] = (
    remove_edit, trigger_edit, condition_edit, delay_edit, url_edit, recipient_edit, llm_edit,
    delivery_edit,
)
_CAN_DO = (
    "I can change the current workflow step by step, for example: “also post it to Slack”, "
    "“also email me the result”, “make it 8am”, “run it every Monday at 9”, “trigger it by "
    "webhook instead”, “remove the email step”, “only if the list is not empty”, “wait 10 "
    "minutes before emailing”, “summarise it first”, “translate it to French”, “use "
    "https://example.com/api instead”, “send it to bob@example.com” or “call it Daily digest”. "
    "To start over, describe the whole workflow."
)


@dataclass(frozen=True)
class RefineReply:
    text: str  # markdown for the chat: what will change, or what could not be done and why
    patch: Patch | None  # None when nothing was understood as an edit; else it applies cleanly


def refine(message: str, current: Workflow) -> RefineReply:
    """Read a follow-up as edits to `current`. Never raises.

    The patch, when there is one, has been applied to `current` with apply_patch here, so the
    caller can apply it again and get the same valid graph.
    """
    try:
        edits = read_edits(message if isinstance(message, str) else str(message), current)
        ops = [op for edit in edits for op in edit.ops]
        if not ops:
            return RefineReply(_not_done(edits), None)
        patch = Patch(ops=ops)
        apply_patch(current, patch)
    except Exception:  # like plan(): a rule bug must not break the chat, so answer plainly
        return RefineReply(_not_done([]), None)
    return RefineReply(_compose(edits), patch)


def read_edits(message: str, current: Workflow) -> list[Edit]:
    """Every change the message asks for, in order; an edit without ops says why not."""
    masked = mask(message)
    graph, edits = current, []
    text = masked.text
    renamed = rename_edit(masked, graph)
    if renamed is not None:
        graph = _take(renamed[0], graph, edits)
        text = blank(text, [renamed[1]])
    for clause in split_clauses(text):
        for read in _CLAUSE_EDITS:
            edit = read(clause, masked, graph)
            if edit is None:
                continue
            graph = _take(edit, graph, edits)
            clause = Clause(clause.start, blank(clause.text, list(edit.spans)), clause.otherwise)
    return edits


def _take(edit: Edit, graph: Workflow, edits: list[Edit]) -> Workflow:
    """Keep the edit and return the graph after it; an edit past the op limit is dropped."""
    if sum(len(e.ops) for e in edits) + len(edit.ops) > MAX_OPS:
        return graph
    edits.append(edit)
    return apply_patch(graph, Patch(ops=list(edit.ops))).workflow if edit.ops else graph


def _compose(edits: list[Edit]) -> str:
    lines = ["Here is what I will change:", ""]
    lines += [f"- {e.line}" for e in edits if e.ops]
    skipped = [f"- {e.line}" for e in edits if not e.ops]
    if skipped:
        lines += ["", "Left as it was:"] + skipped
    notes = list(dict.fromkeys(note for e in edits for note in e.notes))
    if notes:
        lines += ["", "Before you run it:"] + [f"- {note}" for note in notes]
    return "\n".join(lines + ["", SIGNATURE])


def _not_done(edits: list[Edit]) -> str:
    reasons = [e.line for e in edits]
    opening = (" ".join(reasons) if reasons
               else "I could not read this as a change to the current workflow.")
    return "\n\n".join([opening, _CAN_DO, SIGNATURE])
