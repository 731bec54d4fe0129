"""The request as text to match: normalised, with URLs and addresses masked, cut into clauses.

Masking keeps every position the same (a URL becomes NUL characters of the same length), so a
match in the masked text points at the same place in the original, and the dots and commas
inside URLs cannot split a clause or look like words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MASK = "\x00"
URL_RE = re.compile(r"\bhttps?://[^\s<>\"'`]+|\bwww\.[^\s<>\"'`]+", re.IGNORECASE)
# The lookbehind starts a match only at the beginning of a run of address characters, which
# keeps the search linear on long runs of letters without an "@".
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TRAILING = ".,;:!?)]}'\""
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', MASK: " "})

# Words that start a new step: a comma or "and" splits a clause only before one of them, so
# "classify as bug, feature or question" stays one clause.
STEP_WORDS = (
    r"fetch\w*|get|gets|call|download\w*|poll\w*|pull|scrape\w*|retrieve\w*|grab|load|crawl|"
    r"query|check|read|monitor|watch|summari[sz]e\w*|classify|categori[sz]e\w*|translate\w*|"
    r"extract\w*|write|draft|generate|compose|ask|e-?mails?|mail|send|post|notify|alert|ping|"
    r"message|tell|let|forward|share|push|upload|wait|delay|pause|sleep|hold|(?:re)?format\w*|"
    r"convert\w*|filter\w*|reshape\w*|parse|transform\w*|if|only|unless|when|whenever|"
    r"combine\w*|merge(?!\s+requests?)|join\w*|rank\w*|compare\w*|rewrite\w*|turn\w*|add\s+up|"
    r"keep|sort\w*|rename\w*|flatten\w*|strip|have|use"
)
# Arrows and pipes between steps ("cron … -> GET … -> slack") cut like "then"; spaces around
# them keep "a->b" inside a field mapping whole.
_ARROW = r"\s(?:-+>|=+>|→|⇒|➜|➔|\|)(?=\s)|→"
# "the email and message fields": a step word naming a field starts no step.
_NOT_A_FIELD = r"(?!\s+(?:fields?|columns?|keys?|properties)\b)"
_SPLIT_RE = re.compile(
    rf"[;!?\n]+|\.(?=\s|$)|{_ARROW}"
    r"|\b(?:and\s+)?then\b|\bafter\s+that\b|\bafterwards\b|\bfinally\b"
    r"|\b(?:otherwise|or\s+else|else)\b"
    rf"|(?:,|\band\b|&)(?=\s*(?:and\s+)?(?:{STEP_WORDS})\b{_NOT_A_FIELD})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A URL or an e-mail address and where it sits in the text."""

    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Masked:
    original: str
    text: str
    urls: tuple[Found, ...]
    emails: tuple[Found, ...]


@dataclass(frozen=True)
class Clause:
    """One step-sized piece of the request; `text` is the masked slice, `start` its offset."""

    start: int
    text: str
    otherwise: bool = False  # follows "otherwise"/"else": the false branch of a condition

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def holds(self, found: Found) -> bool:
        return self.start <= found.start < self.end


def normalise(message: str) -> str:
    """NFKC (full-width digits become digits), straight quotes, no NUL or lone surrogates."""
    # A lone surrogate cannot be encoded, and pydantic refuses it in the graph's description.
    text = _SURROGATE_RE.sub("\ufffd", message)
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def _find_urls(text: str) -> list[Found]:
    found = []
    for match in URL_RE.finditer(text):
        raw = match.group().rstrip(_TRAILING)
        if len(raw) < 8:
            continue
        value = "https://" + raw if raw.lower().startswith("www.") else raw
        found.append(Found(match.start(), match.start() + len(raw), value))
    return found


def mask(message: str) -> Masked:
    """Find URLs and e-mail addresses in the normalised message and blank them out."""
    original = normalise(message)
    urls = _find_urls(original)
    emails = [
        Found(m.start(), m.end(), m.group())
        for m in EMAIL_RE.finditer(original)
        if not any(u.start <= m.start() < u.end for u in urls)
    ]
    spans = [(f.start, f.end) for f in urls + emails]
    return Masked(original, blank(original, spans, MASK), tuple(urls), tuple(emails))


def blank(text: str, spans: list[tuple[int, int]], filler: str = " ") -> str:
    """Replace each (start, end) span with filler characters, keeping every position."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = filler * (end - start)
    return "".join(chars)


def split_clauses(text: str) -> list[Clause]:
    """Cut at sentence ends, "then", and commas or "and" that come before a step word."""
    clauses, start, otherwise = [], 0, False
    for match in _SPLIT_RE.finditer(text):
        clauses.append(Clause(start, text[start : match.start()], otherwise))
        start, otherwise = match.end(), match.group().lower().endswith(("otherwise", "else"))
    clauses.append(Clause(start, text[start:], otherwise))
    return [c for c in clauses if c.text.strip()]


def plain(text: str, limit: int = 80) -> str:
    """User words made safe to copy into a config: no template braces, no masks, one line."""
    cleaned = re.sub(r"[{}\x00]", " ", text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
