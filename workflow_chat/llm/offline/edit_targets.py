"""Which existing step a follow-up means ("the email step", "the summary"), and what data a
step can read, so offline edits fit into a graph the planner, a model or a person made.
"""

from __future__ import annotations

import itertools
import re

from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.graph.traversal import incoming, outgoing, topological_order
from workflow_chat.llm.offline.fetch import url_label
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.planner import _TRIGGER_SOURCES  # the planner's own trigger data
from workflow_chat.llm.offline.step_configs import Context, Source, build
from workflow_chat.nodes import TRIGGER_KINDS

_WORD_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")
_SYNONYMS: dict[str, str] = {
    word: concept
    for concept, words in {
        "email": "email e-mail emails emailing emailed mail mails mailing",
        "summarise": "summarise summarize summary summaries summarising summarizing summarised "
                     "summarized digest recap",
        "translate": "translate translation translating translated translator",
        "classify": "classify classification classifying categorise categorize category "
                    "categories sentiment label labels",
        "extract": "extract extraction extracting",
        "fetch": "fetch fetching fetches request requests http api call download get",
        "wait": "wait waiting delay pause sleep",
        "condition": "condition check checks if test guard",
        "transform": "transform template format convert",
        "llm": "llm ai model gpt",
        "slack": "slack",
        "trigger": "trigger start schedule webhook manual",
    }.items()
    for word in words.split()
}
_STOP_WORDS = frozenset(
    "the a an step steps node nodes part one that it this stage action block box card please my "
    "our your its workflow flow automation and of to with for from".split()
)
_KIND_CONCEPTS = {"http_request": "fetch", "delay": "wait", "email": "email", "slack": "slack",
                  "condition": "condition", "transform": "transform", "llm": "llm"}
PRODUCERS = frozenset({"http_request", "llm", "transform", "merge"})  # steps whose output is data


def concepts(text: str) -> set[str]:
    """Words reduced to what they name: "emailing" -> email, "summary" -> summarise."""
    found = set()
    for word in _WORD_RE.findall(text.lower()):
        if word not in _STOP_WORDS:
            found.add(_SYNONYMS.get(word, word[:-1] if len(word) > 3 and word.endswith("s")
                                    else word))
    return found


def _strong(node: Node) -> set[str]:
    """What a node is: its kind, an LLM step's operation, the words of its id."""
    names = concepts(node.id.replace("_", " "))
    if node.kind in TRIGGER_KINDS:
        names.add("trigger")
    names.add(_KIND_CONCEPTS.get(node.kind, node.kind))
    if node.kind == "llm":
        names.add(str(node.config.get("operation", "generate")))
    return names


def resolve(words: str, workflow: Workflow) -> tuple[list[Node], int]:
    """The best-matching nodes and their score (0: none). What a node is counts 2 per word,
    a word of its label 1, so "the summary" means the summarise step, not "Email summary"."""
    wanted = concepts(words)
    scores = []
    for node in workflow.nodes:
        strong, weak = _strong(node), concepts(node.label)
        scores.append(sum(2 if w in strong else 1 if w in weak else 0 for w in wanted))
    best = max(scores, default=0)
    return [n for n, s in zip(workflow.nodes, scores) if s == best and best > 0], best


def fresh_id(stem: str, workflow: Workflow) -> str:
    taken = {n.id for n in workflow.nodes}
    return next(c for c in itertools.chain([stem], (f"{stem}_{n}" for n in itertools.count(2)))
                if c not in taken)


def trigger_of(workflow: Workflow) -> Node:
    return next(n for n in workflow.nodes if n.kind in TRIGGER_KINDS)


def ordered(workflow: Workflow, kinds: frozenset[str] | set[str]) -> list[Node]:
    """The nodes of these kinds in flow order."""
    return [n for i in topological_order(workflow) if (n := workflow.node(i)) and n.kind in kinds]


def is_fetch(node: Node) -> bool:
    return node.kind == "http_request" and node.config.get("method", "GET") == "GET"


def is_delivery(node: Node) -> bool:
    return node.kind in ("email", "slack") or (node.kind == "http_request" and not is_fetch(node))


def last_sink(workflow: Workflow) -> Node:
    """The step where the flow ends: the last end in flow order, preferring ends that are not
    behind a condition's false branch (the "otherwise" path is the exception, not the flow)."""
    main, stack = set(), [trigger_of(workflow).id]
    while stack:
        current = stack.pop()
        if current not in main:
            main.add(current)
            stack += [e.target for e in outgoing(workflow, current) if e.branch != "false"]
    ends = [i for i in topological_order(workflow) if not outgoing(workflow, i)]
    preferred = [i for i in ends if i in main] or ends
    node = workflow.node(preferred[-1]) if preferred else None
    return node or trigger_of(workflow)


def output_source(node: Node) -> Source | None:
    """The data a step hands on, named the way the planner names it; None when it hands on
    nothing new (a condition, a wait, a delivery)."""
    if node.kind in _TRIGGER_SOURCES:
        source = _TRIGGER_SOURCES[node.kind]
        return Source(source.expr.replace("nodes.trigger.", f"nodes.{node.id}.", 1),
                      source.noun, source.is_text)
    c = node.config
    if node.kind == "transform":
        return Source(f"nodes.{node.id}.output.value", "result", not c.get("parse_json"))
    if is_fetch(node):
        url = str(c.get("url", ""))
        params = {"method": "GET", "url": url, "what": url_label(url)}
    elif node.kind == "merge":  # the branches it joined, together
        params = {"mode": c.get("mode", "all")}
    elif node.kind == "llm":
        params = {"operation": c.get("operation", "generate"), "labels": c.get("labels") or [],
                  "language": c.get("target_language"), "what": "text"}
    else:
        return None
    dummy = Context(Source("", "data", False))
    return build(Intent(node.kind, 0, 0, params), node.id, dummy).output


def source_at(workflow: Workflow, node_id: str) -> Source:
    """The newest data a step can read: its own output, else the nearest producer above it."""
    seen: set[str] = set()
    current = workflow.node(node_id)
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if (source := output_source(current)) is not None:
            return source
        parents = incoming(workflow, current.id)
        current = workflow.node(parents[0].source) if parents else None
    return output_source(trigger_of(workflow)) or Source("nodes", "data", False)
