"""Follow-ups that change a setting or a name, not the shape of the graph: a new URL ("use
https://… instead"), a new recipient ("send it to bob@example.com"), a new name ("call it
Daily digest", "rename the email step to Notify me").
"""

from __future__ import annotations

import re

from workflow_chat.graph.patch_ops import PatchOp, Rename, UpdateNode
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.llm.offline.edit_ops import ALSO_RE, Edit, Span, refusal
from workflow_chat.llm.offline.edit_targets import concepts, ordered, resolve
from workflow_chat.llm.offline.fetch import url_label
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.sentence import Clause, Masked, plain
from workflow_chat.llm.offline.step_configs import Context, Source, build

_I = re.IGNORECASE
_CHANGE_RE = re.compile(
    r"\b(?:use|instead|change|switch|replace|point|swap|update|move)\w*\b", _I
)
_RENAME_RE = re.compile(
    r"\b(?:re-?name|retitle)\s+(?:(?P<what>[^\n.!?]{0,60}?)\s+)?(?:to|as|into)\s+(?P<name>\S)"
    r"|\b(?:call|name|title)\s+(?:it|this\s+(?:workflow|automation|flow|one)"
    r"|the\s+(?:workflow|automation|flow))\s+(?:to\s+|as\s+)?(?P<name2>\S)",
    _I,
)
_NAME_END_RE = re.compile(r"[\n!?;]|\.(?=\s|$)")
_QUOTES = " \t\"'`“”‘’"


def rename_edit(masked: Masked, workflow: Workflow) -> tuple[Edit, Span] | None:
    """A new name for the workflow or for one step, and the span of the message it used.

    Read on the whole message, since a name may hold words that would start a new step
    ("call it Fetch and summarise"); the name runs to the end of its sentence.
    """
    match = _RENAME_RE.search(masked.text)
    if match is None:
        return None
    start = match.start("name") if match.group("name") else match.start("name2")
    end_match = _NAME_END_RE.search(masked.original, start)
    end = end_match.start() if end_match else len(masked.original)
    name = plain(masked.original[start:end], 200).strip(_QUOTES)
    span = (match.start(), end)
    if not name:
        return None
    what = match.group("what") or ""
    nodes, _ = resolve(what, workflow)
    if not nodes and not concepts(what) <= concepts(workflow.name):
        return refusal(f"I found no step matching “{plain(what, 60)}” to rename."), span
    if len(nodes) > 1:
        labels = ", ".join(f"**{n.label}**" for n in nodes)
        return refusal(f"“{plain(what, 60)}” could mean {labels}; say which to rename."), span
    if nodes:
        node = nodes[0]
        op: PatchOp = UpdateNode(id=node.id, label=plain(name, 120))
        return Edit((op,), f"**Rename** the step **{node.label}** to **{plain(name, 120)}**."), span
    if name == workflow.name:
        return refusal(f"The workflow is already called **{name}**."), span
    return Edit((Rename(name=name),), f"**Rename** the workflow to **{name}**."), span


def url_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """"use https://x.example/api instead": the HTTP step calls the new URL."""
    urls = [u.value for u in masked.urls if clause.holds(u)]
    calls = ordered(workflow, {"http_request"})
    if not urls or not calls or not _CHANGE_RE.search(clause.text):
        return None
    named, score = resolve(clause.text, workflow)
    node = next((n for n in named if n in calls and score >= 2), calls[0])
    url, old = urls[0], str(node.config.get("url", ""))
    whole: tuple[Span, ...] = ((0, len(clause.text)),)
    if url == old:
        return refusal(f"**{node.label}** already calls `{url}`.", whole)
    # A label the planner wrote follows the URL; one the person wrote stays.
    label = _call_label(node, url) if node.label == _call_label(node, old) else None
    op = UpdateNode(id=node.id, label=label, config={"url": url})
    return Edit((op,), f"**Change** **{node.label}** to call `{url}` (was `{old}`).", (), whole)


def _call_label(node: Node, url: str) -> str:
    method = str(node.config.get("method", "GET"))
    params = {"method": method, "url": url, "what": url_label(url, host_only=method != "GET")}
    return build(Intent("http_request", 0, 0, params), node.id,
                 Context(Source("", "data", False))).label


def recipient_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """"send it to bob@example.com": the existing email step gets the new recipients.
    With "also" (or no email step) it is a new step instead, left to the delivery edit."""
    addresses = list(dict.fromkeys(e.value for e in masked.emails if clause.holds(e)))
    emails = ordered(workflow, {"email"})
    if not addresses or not emails or ALSO_RE.search(clause.text):
        return None
    named, _ = resolve(clause.text, workflow)
    node = next((n for n in named if n in emails), emails[0])
    to = ", ".join(addresses[:10])
    whole: tuple[Span, ...] = ((0, len(clause.text)),)
    if node.config.get("to") == to:
        return refusal(f"**{node.label}** already goes to {to}.", whole)
    op = UpdateNode(id=node.id, config={"to": to})
    return Edit((op,), f"**Change** **{node.label}** to send to {to}.", (), whole)
