"""LLM steps (summarise, classify, translate, extract, generate) from the words that ask."""

from __future__ import annotations

import re

from workflow_chat.llm.offline.ai_steps import find_ai_step
from workflow_chat.llm.offline.intents import RANK_PRODUCT, RANK_WORK, Intent
from workflow_chat.llm.offline.reshape import FIELDS_RE
from workflow_chat.llm.offline.sentence import Clause, Masked, plain

_I = re.IGNORECASE
LANGUAGES = (
    "English French German Spanish Italian Portuguese Dutch Polish Swedish Norwegian Danish "
    "Finnish Russian Ukrainian Czech Greek Turkish Arabic Hebrew Hindi Bengali Chinese Mandarin "
    "Japanese Korean Vietnamese Thai Indonesian Malay Romanian Hungarian Catalan Persian Urdu "
    "Swahili"
).split()
_LANG = "|".join(LANGUAGES)
_TARGET_RE = re.compile(rf"\b(?:to|into|in)\s+({_LANG})\b", _I)
_ANY_LANG_RE = re.compile(rf"\b({_LANG})\b", _I)

# (operation, pattern, is_noun): nouns name a product ("a summary") that may already exist.
_PATTERNS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("summarise", re.compile(r"\bsummar(?:is|iz)(?:e|es|ed|ing)\b", _I), False),
    ("summarise", re.compile(r"\b(?:summary|summaries|digest|recap)\b", _I), True),
    ("classify", re.compile(
        r"\b(?:classif(?:y|ies|ied|ying)|categori[sz](?:e|es|ed|ing)|triage[sd]?"
        r"|(?:label|tag)\s+(?:them|it|each|every|these|those|as))\b"
        r"|\b(?:(?:figure|find|work)s?\s+out|decides?|determines?|judges?)\s+(?:if|whether)\b",
        _I), False),
    ("classify", re.compile(
        r"\b(?:sentiment|classification|(?<!by\s)(?<!per\s)(?<!each\s)categor(?:y|ies))\b", _I),
     True),
    ("translate", re.compile(
        r"\btranslat(?:e|es|ed|ing)\b"
        rf"|\bconvert\w*\s+(?:\w+\s+){{0,3}}?(?:to|into)\s+(?:{_LANG})\b",
        _I), False),
    ("translate", re.compile(r"\btranslations?\b", _I), True),
    ("extract", re.compile(r"\bextract(?:s|ed|ing)?\b", _I), False),
)
_GENERATE_RE = re.compile(
    r"\b(?:write|writes)\b(?!\s+(?:it\s+|them\s+)?(?:to|into|down)\b)"
    r"|(?<!\bthe\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\byour\s)(?<!\bmy\s)\b(?:draft|drafts)\b"
    r"|\b(?:generate|generates|compose|composes)\b",
    _I,
)
# Clauses are already cut before "and <verb>", so "the names and emails" stays whole.
_STOP_RE = re.compile(r"\b(?:then|from|based\s+on|using|with|into|as|to\s+me)\b|[,;]", _I)
_LABEL_LIST_RE = re.compile(r"\b(?:as|into)\s+(?:either\s+)?(.+)$", _I)
_LABEL_HINTS: tuple[tuple[re.Pattern[str], list[str]], ...] = (
    (re.compile(r"\b(?:sentiment|feedback|reviews?|comments?|tweets?|mentions)\b", _I),
     ["positive", "neutral", "negative"]),
    (re.compile(r"\bspam\b", _I), ["spam", "not spam"]),
    (re.compile(r"\bpriorit(?:y|ies|i[sz]e)\b", _I), ["high", "medium", "low"]),
    (re.compile(r"\b(?:issues?|tickets?|bugs?|requests?)\b", _I),
     ["bug", "feature request", "question"]),
)
DEFAULT_LABELS = ["urgent", "normal", "low"]


def find_llm(clause: Clause, masked: Masked) -> list[Intent]:
    """LLM intents in the clause; "write" or "draft" only count when no other operation fits,
    and an AI named with another verb ("rank them with an LLM") only when neither does."""
    # URLs are masked in `words`: they become steps of their own, not part of a phrase.
    words = clause.text
    intents = []
    for operation, pattern, noun in _PATTERNS:
        # One step per operation and clause: "summarise, summarise" is said twice, done once.
        match = pattern.search(clause.text)
        if match is None:
            continue
        if operation == "extract" and FIELDS_RE.search(clause.text):
            continue  # "extract the id and title fields" is a transform, not a model call
        params = _params(operation, words, match.end())
        if match.group().lower().endswith(("if", "whether")):
            params["labels"] = ["yes", "no"]  # "figure out if it is a lead" asks yes or no
        rank = RANK_PRODUCT if noun else RANK_WORK
        intents.append(Intent("llm", clause.start + match.start(), rank, params, noun))
    if not intents and (match := _GENERATE_RE.search(clause.text)):
        what = _phrase_after(words[match.end() :]) or "a short text"
        params = {"operation": "generate", "what": what, "verb": match.group().lower()}
        intents.append(Intent("llm", clause.start + match.start(), RANK_WORK, params))
    return intents or find_ai_step(clause)


def _params(operation: str, words: str, after: int) -> dict[str, object]:
    if operation == "translate":
        target = _TARGET_RE.search(words) or _ANY_LANG_RE.search(words)
        language = target.group(1).capitalize() if target else None
        return {"operation": operation, "language": language or "English",
                "language_given": language is not None}
    if operation == "classify":
        return {"operation": operation, "labels": _labels(words)}
    if operation == "extract":
        return {"operation": operation, "what": _phrase_after(words[after:]) or "the key facts"}
    return {"operation": operation}


def _phrase_after(text: str) -> str:
    """The object of a verb: up to the next joining word, without articles or a URL."""
    text = text[:200]
    stop = _STOP_RE.search(text)
    phrase = plain(text[: stop.start()] if stop else text, 60)
    phrase = re.sub(r"^(?:them|him|her|me|us)\s+(?=(?:a|an|the|some)\b)", "", phrase, flags=_I)
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=_I)
    phrase = re.sub(r"(?:\s+(?:about|of|for|on|to|at|in))+$", "", phrase, flags=_I)
    return phrase if len(phrase) > 1 else ""


def _labels(words: str) -> list[str]:
    """Labels listed after "as"/"into", else ones that suit what is being classified."""
    listed = _LABEL_LIST_RE.search(words[:400])
    if listed:
        parts = re.split(r",|/|\bor\b|\band\b", listed.group(1), flags=_I)
        labels = [plain(re.sub(r"^\s*(?:a|an|the)\s+", "", p, flags=_I), 30).strip(" .'\"")
                  for p in parts]
        labels = [label.lower() for label in labels if re.fullmatch(r"[\w -]{1,30}", label)]
        if len(set(labels)) >= 2:
            return list(dict.fromkeys(labels))[:8]
    for pattern, labels in _LABEL_HINTS:
        if pattern.search(words):
            return list(labels)
    return list(DEFAULT_LABELS)
