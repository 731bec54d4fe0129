"""A condition in words ("only if there are more than 5 items") as a Jinja expression.

Every expression tests the output of the step before it. Only numbers, field names that are
plain identifiers and cleaned quoted terms are copied from the request, so the result always
compiles and never runs user code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE
_NUMBER = r"\s*(?:\$|€|£)?\s*(-?[0-9]{1,12}(?:\.[0-9]{1,6})?)"
_COMPARISONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?:{words}){_NUMBER}", _I), op)
    for words, op in (
        (r"\bat\s+least|\bno\s+(?:less|fewer)\s+than|>=", ">="),
        (r"\bat\s+most|\bno\s+more\s+than|<=", "<="),
        (r"\b(?:greater|more|higher|larger|bigger|longer)\s+than|\babove|\bover|\bexceeds?|>", ">"),
        (r"\b(?:less|fewer|lower|smaller|shorter)\s+than|\bbelow|\bunder|<", "<"),
        (r"\bis\s+not|\bisn't|!=", "!="),
        (r"\b(?:is\s+)?equal\s+to|\bequals?|\bis|==|=", "=="),
    )
)
_FAIL_RE = re.compile(
    r"\b(?:fails?|failed|errors?|is\s+down|goes\s+down|unavailable|unreachable|not\s+ok)\b"
    r"|^\s*(?:it's\s+|its\s+)?down\b", _I
)
_OK_RE = re.compile(r"\b(?:succeeds?|succeeded|is\s+up|works|is\s+ok|is\s+reachable)\b", _I)
_STATUS_RE = re.compile(r"\bstatus(?:\s+code)?\b", _I)
_NOT_CONTAINS_RE = re.compile(
    r"\b(?:does\s*not|doesn't|do\s+not|don't|never)\s+(?:contain|mention|include|say)", _I
)
_CONTAINS_RE = re.compile(
    r"\b(?:contains?|mentions?|includes?|says|matches)\s+(?:the\s+(?:word|text|phrase|string)\s+)?"
    r"(?:an?\s+|the\s+)?(?:[\"']([^\"']{1,60})[\"']|([\w-]{1,40}))",
    _I,
)
_NOT_EMPTY_RE = re.compile(
    r"\bnon-?empty\b|\b(?:is|are)\s+not\s+empty\b|\b(?:isn't|aren't|not)\s+empty\b", _I
)
_EMPTY_RE = re.compile(r"\b(?:is|are)\s+empty\b|\bnothing\b|\bno\s+(?:new\s+)?\w+s\b", _I)
_ANY_RE = re.compile(r"\bthere\s+(?:are|is)\b|\b(?:any|new|some)\b", _I)
_COUNT_RE = re.compile(
    r"\b(?:number|count)\s+of\b|\b(?:items|issues|results|entries|rows|records|orders|messages"
    r"|tickets|posts|articles|emails|comments|users|files|events|pull\s+requests)\b",
    _I,
)
_NEGATED_RE = re.compile(r"\bnot\b|n't\b|\bno\b", _I)
_IS_WORD_RE = re.compile(
    r"\b([A-Za-z_]\w{0,30})\s+(?:is|equals|==|=)\s+(not\s+)?[\"']?([A-Za-z][\w-]{0,30})", _I)
_NOT_VALUES = frozenset(
    "a an the empty down up ok okay null none true false above below over under more less still "
    "not missing available greater higher lower set there".split()
)
_IT_RE = re.compile(r"\s*(?:it|it's|its|that|this|the\s+(?:value|result|response))\b", _I)
_SUBJECT_RE = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]{0,30}\b")
_NOT_SUBJECTS = frozenset(
    "the a an it its this that there they them is are was were be been goes go rises rise falls "
    "fall drops drop gets get has have if only when value result results response body data "
    "output number count of than new any and or not in else true false none for s".split()
)


@dataclass(frozen=True)
class Tested:
    """What a condition step tests: an expression, where its data comes from, how it reads."""

    ref: str  # e.g. nodes.fetch.output.body
    is_text: bool  # an LLM answer or rendered text, rather than parsed JSON
    labels: tuple[str, ...] = ()  # the classify step's labels, when it tests one
    http_id: str | None = None  # the last HTTP step, for "if the request fails"
    joined_ids: tuple[str, ...] = ()  # parallel fetches just merged: "if either one is down"


def condition_expression(phrase: str, negate: bool, tested: Tested) -> tuple[str, bool]:
    """The expression and whether it was a guess (a field name or the non-empty default)."""
    expression, guessed = _expression(phrase, tested)
    return (f"not ({expression})" if negate else expression), guessed


def _expression(phrase: str, t: Tested) -> tuple[str, bool]:
    status = f"nodes.{t.http_id}.output.status" if t.http_id else None
    statuses = [f"nodes.{i}.output.status" for i in t.joined_ids] or ([status] if status else [])
    if _FAIL_RE.search(phrase):
        if statuses:  # after a merge, any branch failing counts
            return " or ".join(f"{s} >= 400" for s in statuses), False
        return f"'error' in ({t.ref} | string | lower)", True
    if _OK_RE.search(phrase) and statuses:
        return " and ".join(f"{s} < 400" for s in statuses), False
    if set(t.labels) == {"yes", "no"}:  # "if it is", "if so" after "figure out if …"
        answer = "no" if _NEGATED_RE.search(phrase) else "yes"
        return f"'{answer}' in ({t.ref} | lower)", False
    for label in t.labels:
        if re.search(rf"\b{re.escape(label)}\b", phrase, _I):
            negated = re.search(rf"\bnot\s+{re.escape(label)}\b", phrase, _I)
            return f"'{label}' {'not in' if negated else 'in'} ({t.ref} | lower)", False
    for pattern, op in _COMPARISONS:
        if match := pattern.search(phrase):
            return _compare(phrase[: match.start()], op, match.group(1), phrase, t, status)
    if match := _CONTAINS_RE.search(phrase):
        term = _clean_term(match.group(1) or match.group(2))
        if term:
            negated = "not in" if _NOT_CONTAINS_RE.search(phrase) else "in"
            return f"'{term}' {negated} ({t.ref} | string | lower)", False
    if _NOT_EMPTY_RE.search(phrase):
        return f"{t.ref} | length > 0", False
    if _EMPTY_RE.search(phrase):
        return f"{t.ref} | length == 0", False
    if (said := _IS_WORD_RE.search(phrase)) and said.group(3).lower() not in _NOT_VALUES \
            and said.group(1).lower() not in _NOT_SUBJECTS:
        # "if the severity is critical": a field compared with a word (the field is a guess)
        field, value = said.group(1).lower(), said.group(3).lower()
        op = "!=" if said.group(2) else "=="
        if t.is_text:
            return f"'{value}' {'not in' if said.group(2) else 'in'} ({t.ref} | lower)", False
        return f"({t.ref}.{field} | string | lower) {op} '{value}'", True
    return f"{t.ref} | length > 0", _ANY_RE.search(phrase) is None


def _compare(
    before: str, op: str, number: str, phrase: str, t: Tested, status: str | None
) -> tuple[str, bool]:
    if status and _STATUS_RE.search(before):
        return f"{status} {op} {number}", False
    if _COUNT_RE.search(phrase):
        return f"{t.ref} | length {op} {number}", False
    subject = next((w for w in _SUBJECT_RE.findall(before) if w.lower() not in _NOT_SUBJECTS), None)
    if subject and not t.is_text:
        return f"{t.ref}.{subject.lower()} | float {op} {number}", True
    if t.is_text:
        return f"{t.ref} | float {op} {number}", False
    if _IT_RE.match(before):  # "if it's above 100": the value itself is the number
        return f"{t.ref} | float {op} {number}", True
    return f"{t.ref} | length {op} {number}", True


def _clean_term(term: str) -> str:
    """Keep a quoted term readable but harmless inside a single-quoted Jinja string."""
    return re.sub(r"[^\w .,:!?@#/-]", "", term).strip().lower()[:60]
