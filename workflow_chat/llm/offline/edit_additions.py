"""Follow-ups that add a step: an LLM step on the data ("summarise it first", "translate it to
French") or a delivery at the end ("also post it to Slack", "also email me the result").
The steps are read and configured by the planner's own detectors and builders.
"""

from __future__ import annotations

import re

from workflow_chat.graph.patch import apply_patch
from workflow_chat.graph.patch_ops import Patch, PatchOp, UpdateNode
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.llm.offline.delivery import find_delivery
from workflow_chat.llm.offline.edit_ops import (
    ALSO_RE,
    Edit,
    append_after,
    insert_after,
    new_step,
    refusal,
    repoint,
)
from workflow_chat.llm.offline.edit_targets import (
    PRODUCERS,
    fresh_id,
    is_fetch,
    last_sink,
    ordered,
    source_at,
    trigger_of,
)
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.llm_steps import find_llm
from workflow_chat.llm.offline.sentence import Clause, Masked
from workflow_chat.llm.offline.step_configs import Built, Context, Source, base_id, build

_FIRST_RE = re.compile(r"\b(?:first|before|beforehand|straight\s+away)\b", re.IGNORECASE)
_KIND_WORDS = {"email": "an email step", "slack": "a Slack step"}


def llm_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """A new LLM step after the newest data ("… first": after the first fetch); the steps
    after it read its answer instead of what it read. A second translation changes the
    language of the first instead."""
    for intent in find_llm(clause, masked):
        operation = str(intent.params.get("operation"))
        existing = [n for n in ordered(workflow, {"llm"})
                    if n.config.get("operation") == operation]
        if existing and intent.noun:
            continue  # "post the summary" names the summary there already is
        if existing and operation == "translate":
            return _retranslate(existing[0], str(intent.params["language"]))
        if existing and operation != "generate":
            return refusal(f"It already has that step: **{existing[0].label}**.")
        return _add_llm(intent, clause, workflow)
    return None


def _add_llm(intent: Intent, clause: Clause, workflow: Workflow) -> Edit:
    producers = [n for n in ordered(workflow, PRODUCERS)
                 if n.kind != "http_request" or is_fetch(n)]
    if _FIRST_RE.search(clause.text):
        producers = [n for n in producers if is_fetch(n)][:1]
    anchor = producers[-1] if producers else trigger_of(workflow)
    source = source_at(workflow, anchor.id)
    node_id = fresh_id(base_id(intent), workflow)
    built = build(intent, node_id, Context(source))
    ops = insert_after(workflow, anchor, new_step(node_id, "llm", built.label, built.config))
    if built.output is not None:
        inserted = apply_patch(workflow, Patch(ops=ops)).workflow
        ops += repoint(inserted, node_id, source.expr, built.output.expr)
    line = f"**Add** **{built.label}** after **{anchor.label}**: {built.explain}"
    if built.output is not None:
        line += f" The steps after it use the {built.output.noun}."
    return Edit(tuple(ops), line, built.notes)


def _retranslate(node: Node, language: str) -> Edit:
    old_language = node.config.get("target_language")
    if old_language == language:
        return refusal(f"**{node.label}** already translates into {language}.")
    old, new = (_translation(node.id, lang) for lang in (old_language, language))
    # Text the planner wrote follows the language; text the person wrote stays.
    config = {"target_language": language}
    if node.config.get("prompt") == old.config["prompt"]:
        config["prompt"] = new.config["prompt"]
    label = new.label if node.label == old.label else None
    op = UpdateNode(id=node.id, label=label, config=config)
    return Edit((op,), f"**Change** **{node.label}** to translate into {language}.")


def _translation(node_id: str, language: object) -> Built:
    params = {"operation": "translate", "language": language, "language_given": True}
    return build(Intent("llm", 0, 0, params), node_id, Context(Source("", "data", False)))


def delivery_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """A Slack message or email after the last step, sending the newest data (a summary
    rather than the raw response). Without "also", an existing step of that kind is meant."""
    intents = find_delivery(clause, masked)
    if not intents:
        return None
    intent = intents[0]
    existing = [n for n in workflow.nodes if n.kind == intent.kind]
    if existing and not ALSO_RE.search(clause.text):
        return refusal(f"It already has {_KIND_WORDS[intent.kind]}, **{existing[0].label}**; say "
                       "“also …” to add another.")
    anchor = last_sink(workflow)
    node_id = fresh_id(base_id(intent), workflow)
    built = build(intent, node_id, Context(source_at(workflow, anchor.id)))
    op: PatchOp = append_after(anchor, new_step(node_id, intent.kind, built.label, built.config))
    line = f"**Add** **{built.label}** after **{anchor.label}**: {built.explain}"
    return Edit((op,), line, built.notes)
