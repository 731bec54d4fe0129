"""Flow steps in a clause: conditions ("only if …") and delays ("wait 10 minutes")."""

from __future__ import annotations

import re

from workflow_chat.llm.offline.intents import RANK_CONDITION, RANK_FIRST, Intent
from workflow_chat.llm.offline.sentence import Clause, Masked, plain

_I = re.IGNORECASE
NUMBER_WORDS = {
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
    r"|convert|filter|then|do|drop|slack)\b|[:,](?=\s)",
    _I,
)
_NUMBER_END_RE = re.compile(
    r"(?:\bthan|\babove|\bbelow|\bover|\bunder|\bleast|\bmost|\bexceeds?|[<>]=?|!=|==)"
    r"\s*[$€£]?\s*-?[0-9][0-9.,]*%?(?=\s+[A-Za-z#])",
    _I,
)
# "figure out if it is a lead" asks a question (an LLM step answers it); it guards nothing.
_QUESTION_BEFORE_RE = re.compile(
    r"\b(?:(?:figure|find|work)(?:s|ed|ing)?\s+out|decid\w+|determin\w+|judg\w+|ask\w*"
    r"|wonder\w*|know|tell(?:s|ing)?\s+(?:me|us))\s+$",
    _I,
)
_COMPARISON_RE = re.compile(
    r"\b(?:greater|more|less|fewer|higher|lower|above|below|over|under|exceeds?|equals?|contains?"
    r"|includes?|mentions?|empty|fails?|failed|errors?|down|at\s+least|at\s+most|changes?)\b|[<>=]",
    _I,
)

def find_condition(clause: Clause, masked: Masked) -> tuple[Intent | None, tuple[int, int]]:
    """The clause's condition and its span in the clause (to hide it from other detectors)."""
    match = next((m for m in _CONDITION_RE.finditer(clause.text)
                  if not _QUESTION_BEFORE_RE.search(clause.text, 0, m.start())), None)
    if match is None:
        return None, (0, 0)
    end_match = _CONDITION_END_RE.search(clause.text, match.end() + 1)
    end = end_match.start() if end_match else len(clause.text)
    if number := _NUMBER_END_RE.search(clause.text, match.end(), end):
        end = number.end()  # a test against a number is complete once the number is said
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
            intents.append(Intent("delay", clause.start + match.start(), RANK_FIRST, params))
    return intents


def _amount(number: str) -> float:
    word = " ".join(number.lower().split())
    if word.startswith("half"):
        return 0.5
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def _unit(unit: str) -> str:
    unit = unit.lower()
    return "minutes" if unit.startswith("mi") or unit == "m" else _UNITS[unit[0]]
