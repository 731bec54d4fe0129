"""Transform steps from the words that reshape data: pick fields ("keep only the email and
message fields", "pull out just the invoice number"), rename them, add up, count, sort, keep
the top N, filter, or lay the data out as a list, a table, CSV or JSON.
"""

from __future__ import annotations

import re

from workflow_chat.llm.offline.intents import RANK_WORK, Intent
from workflow_chat.llm.offline.logic import NUMBER_WORDS
from workflow_chat.llm.offline.sentence import Clause, Masked

_I = re.IGNORECASE
_PRONOUNS = r"(?:them|it|these|those|the|all|everything|each|up)"
# (verb, pattern): the earliest match in a clause names the step.
_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((verb, re.compile(p, _I)) for verb, p in (
    ("top", r"\b(?:keep|take|pick|show|only|just|select)\s+(?:only\s+|just\s+)?(?:the\s+)?"
            r"(?:top|first|best|highest|latest|newest)\s+(?=[0-9]|[a-z]+\b)"),
    ("extract", r"\bextract\w*\b(?=[^.]{0,120}?\b(?:fields?|keys|columns|properties"
                r"|attributes)\b)"
                r"|\b(?:keep|select|pick|take|return)\s+(?:only|just)\b|\b(?:only|just)\s+keep\b"
                r"|\b(?:pull|pick|strip|take)\s+out\b"
                r"|\b(?:strip|remove|drop|delete)\s+(?:everything|all(?:\s+\w+)?)"
                r"\s+(?:except|but)\b"),
    ("rename", r"\brename\w*|\bmap\s+(?:the\s+)?(?:fields?|keys|columns)\b"),
    ("map", r"\bmap\b"),
    ("sum", rf"(?<!the\s)(?<!a\s)\b(?:sum|total)(?:s|med|led|ed|ming|ling|ing)?\s+{_PRONOUNS}\b"
            r"|\badd(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?up\b|\badd\s+together\b"
            r"|\b(?:calculate|compute)\s+(?:the\s+)?(?:total|sum)\b"),
    ("average", r"\baverage\s+(?:them|it|the|out)\b"
                r"|\b(?:calculate|compute)\s+(?:the\s+)?(?:average|mean)\b"),
    ("count", r"\bcount(?:s|ed|ing)?\s+(?:how|the|them|all|up|each)\b"
              r"|\b(?:calculate|compute)\s+(?:the\s+)?(?:number|count)\b"),
    ("sort", r"\b(?:sort|rank|order)(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?by\b|\bsort(?:s|ed|ing)?\b"
             rf"|\brank(?:s|ed|ing)?\s+{_PRONOUNS}\b"),
    ("flatten", r"\bflatten\w*"),
    ("dedupe", r"\bde-?dup\w*|\bremove\s+(?:the\s+|any\s+)?duplicates\b"),
    ("group", r"\bgroup(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?by\b"),
    ("filter", r"\bfilter\w*|\b(?:drop|remove|exclude|skip)\s+(?:the\s+|any\s+|all\s+)?"
               r"(?:\w+\s+)?(?:ones|items|entries|rows|records)\b"),
    ("format", r"\b(?:re)?format\w*|\b(?:turn|make|put|render|lay)(?:s|ed|ing)?\b"
               r"(?=[^.]{0,60}?\binto\b[^.]{0,30}?\b(?:list|table|csv|json|markdown|bullet\w*"
               r"|html|spreadsheet|rows)\b)"
               r"|\bas\s+(?:an?\s+)?(?:\w+\s+)?(?:table|csv|json|bullet(?:ed)?\s+(?:list|points)"
               r"|markdown\s+list|bullets)\b"),
    ("convert", r"\bconvert\w*"), ("reshape", r"\breshape\w*"), ("parse", r"\bparse\b"),
    ("transform", r"\btransform\w*"), ("clean", r"\bclean\w*|\btid(?:y|ied|ies)\b"),
))
FIELDS_RE = re.compile(r"\b(?:fields?|keys|columns|properties|attributes)\b", _I)
_PART_SPLIT_RE = re.compile(r",|\band\b|&|/|\bor\b|\bplus\b", _I)
_STOP_RE = re.compile(r"\b(?:then|from|into|to|before|after|so|by|as|with)\b|[,;:]", _I)
_LIST_STOP_RE = re.compile(r"\b(?:then|from|into|to|before|after|so|by|as|with)\b|[;:]", _I)
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,30}")
_NOT_NAMES = frozenset(
    "the a an and or of from each every all fields field keys key columns column properties "
    "attributes extract extracts extracted extracting only just its their them it into as not in "
    "is if else true false none for with out except but everything up these those this that "
    "me us our my your items item data values value list".split()
)
_RENAME_PAIR_RE = re.compile(
    r"([A-Za-z_]\w{0,30})\s+(?:to|->|=>|as|into)\s+([A-Za-z_]\w{0,30})", _I)
_BY_RE = re.compile(r"\bby\s+(?:their\s+|its\s+|the\s+)?([A-Za-z_]\w{0,30})", _I)
_COUNT_WORDS = "|".join(w for w in NUMBER_WORDS if len(w) > 2)  # not "a"/"an"
_COUNT_RE = re.compile(rf"\b([0-9]{{1,4}}|{_COUNT_WORDS})\b", _I)
_DESCENDING_RE = re.compile(r"\b(?:top|best|highest|most|largest|biggest|desc\w*|rank\w*)\b", _I)
_WHERE_RE = re.compile(
    r"\b(?:where|whose|with)\s+(?:the\s+)?([A-Za-z_]\w{0,30})\s+(?:is|=|==|equals?)\s+"
    r"[\"']?([\w-]{1,40})",
    _I,
)
_TARGET_RE = re.compile(r"\b(?:to|into|as)\s+(?:an?\s+)?(?:\w+\s+){0,2}"
                        r"(?:json|csv|tables?|spreadsheet|list|bullets?|markdown)\b", _I)
_FORMATS = (("json", r"\bjson\b"), ("csv", r"\bcsv\b"), ("table", r"\b(?:tables?|spreadsheet)\b"),
            ("list", r"\b(?:list|bullets?|bullet\s+points|markdown)\b"))


def find_transform(clause: Clause, masked: Masked) -> list[Intent]:
    """At most one transform per clause, with what its template needs."""
    found = [(m, verb) for verb, pattern in _VERBS if (m := pattern.search(clause.text))]
    if not found:
        return []
    match, verb = min(found, key=lambda pair: pair[0].start())
    words = masked.original[clause.start : clause.end]
    after = words[match.end() :]
    params: dict[str, object] = {"verb": verb}
    if verb == "extract":
        params["fields"] = field_names(after)
    elif verb == "rename":
        params["pairs"] = [(new, old) for old, new in _RENAME_PAIR_RE.findall(after)
                           if old.lower() not in _NOT_NAMES][:8]
    elif verb == "top":
        count = _COUNT_RE.search(after)
        word = count.group(1).lower() if count else "10"
        params["count"] = int(word) if word.isdigit() else NUMBER_WORDS[word]
    elif verb == "filter" and (where := _WHERE_RE.search(words)):
        params["where"] = (where.group(1), where.group(2))
    if verb in ("sum", "average", "sort", "group", "flatten", "top"):
        by = _BY_RE.search(after)  # not the "by hand" of "run it by hand"
        if verb in ("sum", "average"):  # "add them up by category": totals per category
            params["field"], params["group_by"] = _last_name(after), by and by.group(1)
        else:
            params["field"] = by.group(1) if by else _last_name(after, joined=verb == "flatten")
        # "sort them by score, keep the top 10": the order serves the whole request.
        params["descending"] = bool(_DESCENDING_RE.search(masked.original))
    params["format"] = _format(words)
    return [Intent("transform", clause.start + match.start(), RANK_WORK, params)]


def _format(words: str) -> str | None:
    """The layout asked for; in "convert the JSON to CSV" the one after "to" wins."""
    target = _TARGET_RE.search(words)
    searched = target.group() if target else words
    return next((f for f, p in _FORMATS if re.search(p, searched, _I)), None)


def field_names(text: str) -> list[str]:
    """'the id, title and url fields' -> ['id', 'title', 'url']; 'just the invoice number and
    total' -> ['invoice_number', 'total']; also 'fields id and name'."""
    marker = FIELDS_RE.search(text)
    if marker:  # the names sit before the word "fields", or right after it
        segments = [text[: marker.start()],
                    _until_stop(text[marker.end() : marker.end() + 120], _LIST_STOP_RE)]
    else:
        segments = [_until_stop(text[:120], _LIST_STOP_RE)]
    for segment in segments:
        names = []
        for part in _PART_SPLIT_RE.split(segment):
            words = [w for w in _NAME_RE.findall(part) if w.lower() not in _NOT_NAMES]
            if 0 < len(words) <= 3:
                names.append("_".join(words).lower() if len(words) > 1 else words[0])
        if names:
            return list(dict.fromkeys(names))[:8]
    return ["id", "title"]


def _until_stop(text: str, stops: re.Pattern[str] = _STOP_RE) -> str:
    stop = stops.search(text)
    return text[: stop.start()] if stop else text


def _last_name(text: str, joined: bool = False) -> str | None:
    """The field a reshaping verb works on: "add up the order amounts" -> 'amount'; joined,
    "flatten the line items" -> 'line_items'."""
    words = [w for w in _NAME_RE.findall(_until_stop(text[:60])) if w.lower() not in _NOT_NAMES
             or (joined and w.lower() == "items")]
    if not words:
        return None
    if joined:
        return "_".join(words[-3:]).lower()
    word = words[-1].lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
