"""Fetches that run side by side and the merge that joins them: "fetch A and B at the same
time and combine both results", "query both …, continue with whichever answers first".

Two or more fetches in a row become parallel branches only when the words ask for it (a join
word or a parallel word); "fetch A, then fetch B" stays a chain.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workflow_chat.llm.offline.intents import Intent

_I = re.IGNORECASE
_JOIN_RE = re.compile(
    r"\b(?:merg(?:e|es|ed|ing)(?!\s+(?:requests?|conflicts?))|combin\w+|join(?:s|ed|ing)?)\b"
    r"|\bwait\w*\s+(?:for|until|till)\s+(?:both|all|them\s+all|each|the\s+two)\b"
    r"|\b(?:once|when|after|as\s+soon\s+as)\s+(?:both|all|they|the\s+two|each)\b",
    _I,
)
_PARALLEL_RE = re.compile(
    r"\bin\s+parallel\b|\bsimultaneous\w*|\bconcurrent\w*|\bat\s+the\s+same\s+time\b"
    r"|\bat\s+once\b|\bside\s+by\s+side\b|\bboth\b|\beither\b|\bwhichever\b",
    _I,
)
_ANY_RE = re.compile(
    r"\bwhichever\b|\b(?:first|fastest|quickest)\s+(?:one\s+)?(?:to\s+)?(?:answer|respon|repl"
    r"|return|come|arrive|finish|result)\w*|\brace\s+(?:them|both|the\s+two)\b",
    _I,
)


def parallelise(intents: list[Intent], text: str) -> list[Intent]:
    """The steps with the first run of two or more fetches marked `parallel` and one merge
    step after them, when the text asks for a join; otherwise the steps unchanged."""
    if not (_JOIN_RE.search(text) or _PARALLEL_RE.search(text) or _ANY_RE.search(text)):
        return intents
    run = _fetch_run(intents)
    if run is None:
        return intents
    start, end = run
    branches = [replace(i, params={**i.params, "parallel": True}) for i in intents[start:end]]
    mode = "any" if _ANY_RE.search(text) else "all"
    last = intents[end - 1]
    merge = Intent("merge", last.pos, last.rank, {"mode": mode, "branches": end - start})
    return intents[:start] + branches + [merge] + intents[end:]


def _fetch_run(intents: list[Intent]) -> tuple[int, int] | None:
    """[start, end) of the first run of at least two GET requests in a row."""
    start = 0
    while start < len(intents):
        end = start
        while end < len(intents) and _is_fetch(intents[end]) and not intents[end].otherwise:
            end += 1
        if end - start >= 2:
            return start, end
        start = end + 1
    return None


def _is_fetch(intent: Intent) -> bool:
    return intent.kind == "http_request" and intent.params.get("method") == "GET"
