"""Flow steps in a clause: conditions ("only if …"), delays ("wait 10 minutes"), transforms."""

from __future__ import annotations

import re

from workflow_chat.llm.offline.intents import RANK_CONDITION, RANK_WORK, Intent
from workflow_chat.llm.offline.sentence import Clause, Masked, plain

_I = re.IGNORECASE
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
}
_NUM = (
    r"[0-9]{1,6}(?:\.[0-9]{1,3})?|half\s+an?|an?|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|fifteen|twenty|thirty|forty"
)
_UNIT = r"seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d"
_DELAY_RE = re.compile(
    r"\b(?:wait|delay|pause|sleep|hold)(?:\s+(?:for|about|around|another))*"
    rf"\s+({_NUM})\s*({_UNIT})\b"
    rf"|\bafter\s+(?:waiting\s+)?(?:(?:for|about)\s+)?({_NUM})\s*({_UNIT})\b"
    rf"|\b({_NUM})\s*({_UNIT})\s+later\b",
    _I,
)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_SMALLER = {"days": ("hours", 24), "hours": ("minutes", 60), "minutes": ("seconds", 60)}

_CONDITION_RE = re.compile(r"\b(only\s+if|if|unless|only\s+when|when(?:ever)?|in\s+case)\b", _I)
# A condition runs until the step it guards: "if it is empty email me" guards "email me".
_CONDITION_END_RE = re.compile(
    r"\b(?:e-?mail|mail|send|post|notify|alert|ping|message|tell|let|wait|delay|pause|forward"
    r"|share|summari[sz]e|translate|classify|categori[sz]e|draft|write|generate|compose|format"
    r"|convert|filter|then|do)\b",
    _I,
)
_COMPARISON_RE = re.compile(
    r"\b(?:greater|more|less|fewer|higher|lower|above|below|over|under|exceeds?|equals?|contains?"
    r"|includes?|mentions?|empty|fails?|failed|errors?|down|at\s+least|at\s+most|changes?)\b|[<>=]",
    _I,
)

_TRANSFORM_RE = re.compile(
    r"\b(format|convert|filter|reshape|parse|transform|clean)\w*\b|\bmap\b"
    r"|\bextract\w*\b(?=[^.]{0,120}?\b(?:fields?|keys|columns|properties|attributes)\b)",
    _I,
)
_FIELDS_MARK_RE = re.compile(r"\b(?:fields?|keys|columns|properties|attributes)\b", _I)
_FIELD_WORD_RE = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]{0,30}\b")
_NOT_FIELDS = frozenset(
    "the a an and or of from each every all fields field keys key columns column properties "
    "attributes extract extracts extracted extracting only just its their them it into as not in "
    "is if else true false none for with".split()
)
_WHERE_RE = re.compile(
    r"\b(?:where|whose|with)\s+(?:the\s+)?([A-Za-z_]\w{0,30})\s+(?:is|=|==|equals?)\s+"
    r"[\"']?([\w-]{1,40})",
    _I,
)
_FORMATS = (("json", r"\bjson\b"), ("csv", r"\bcsv\b"), ("list", r"\b(?:list|bullets?|markdown)\b"))


def find_condition(clause: Clause, masked: Masked) -> tuple[Intent | None, tuple[int, int]]:
    """The clause's condition and its span in the clause (to hide it from other detectors)."""
    match = _CONDITION_RE.search(clause.text)
    if match is None:
        return None, (0, 0)
    end_match = _CONDITION_END_RE.search(clause.text, match.end() + 1)
    end = end_match.start() if end_match else len(clause.text)
    keyword = " ".join(match.group(1).lower().split())
    if keyword.startswith(("when", "only when")) and not _COMPARISON_RE.search(
        clause.text, match.end(), end
    ):
        return None, (0, 0)  # "when the job finishes" is not a test on data
    phrase = masked.original[clause.start + match.end() : clause.start + end]
    params = {"phrase": plain(phrase, 200), "negate": keyword == "unless"}
    intent = Intent("condition", clause.start + match.start(), RANK_CONDITION, params)
    return intent, (match.start(), end)


def find_delay(clause: Clause, masked: Masked) -> list[Intent]:
    intents = []
    for match in _DELAY_RE.finditer(clause.text):
        groups = match.groups()
        number, unit = next((groups[i], groups[i + 1]) for i in (0, 2, 4) if groups[i])
        amount, unit_name = _amount(number), _unit(unit)
        while amount != int(amount) and unit_name in _SMALLER:
            unit_name, factor = _SMALLER[unit_name]
            amount *= factor
        if amount > 0:
            params = {"amount": int(amount) if amount == int(amount) else amount, "unit": unit_name}
            intents.append(Intent("delay", clause.start + match.start(), RANK_WORK, params))
    return intents


def _amount(number: str) -> float:
    word = " ".join(number.lower().split())
    if word.startswith("half"):
        return 0.5
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else float(word)


def _unit(unit: str) -> str:
    unit = unit.lower()
    return "minutes" if unit.startswith("mi") or unit == "m" else _UNITS[unit[0]]


def find_transform(clause: Clause, masked: Masked) -> list[Intent]:
    match = _TRANSFORM_RE.search(clause.text)
    if match is None:
        return []
    verb = (match.group(1) or match.group().split()[0]).lower()
    words = masked.original[clause.start : clause.end]
    params: dict[str, object] = {"verb": "extract" if verb.startswith("extract") else verb}
    if verb.startswith("extract"):
        params["fields"] = _fields(words[match.end() :])
    elif where := _WHERE_RE.search(words):
        params["where"] = (where.group(1), where.group(2))
    params["format"] = next((f for f, p in _FORMATS if re.search(p, words, _I)), None)
    return [Intent("transform", clause.start + match.start(), RANK_WORK, params)]


def _fields(text: str) -> list[str]:
    """'the id, title and url fields' -> ['id', 'title', 'url']; also 'fields id and name'."""
    marker = _FIELDS_MARK_RE.search(text)
    before = text[: marker.start()] if marker else text[:120]
    after = text[marker.end() : marker.end() + 120] if marker else ""
    for segment in (before, after):
        names = [w for w in _FIELD_WORD_RE.findall(segment) if w.lower() not in _NOT_FIELDS]
        if names:
            return list(dict.fromkeys(names))[:8]
    return ["id", "title"]
