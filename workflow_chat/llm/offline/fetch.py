"""HTTP steps: each URL in the request becomes a call; "fetch our issues" gets a placeholder."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from workflow_chat.llm.offline.intents import RANK_DELIVERY, RANK_FETCH, Intent
from workflow_chat.llm.offline.sentence import Clause, Masked

_I = re.IGNORECASE
_SEND_BEFORE_RE = re.compile(
    r"\b(?:post|send|push|submit|forward|upload|deliver)\w*\b[^\x00]{0,60}?\b(?:to|into|at)\s*$", _I
)
# The method named right before the URL ("POST https://…") or right after it ("… with a
# DELETE request").
_OTHER_METHOD_RE = re.compile(r"\b(post|put|patch|delete)\s+(?:to\s+)?$", _I)
_METHOD_AFTER_RE = re.compile(r"^\s*(?:with|using|via|as)\s+(?:an?\s+)?(POST|PUT|PATCH|DELETE)\b")
_ALWAYS_FETCH_RE = re.compile(
    r"\b(?:fetch\w*|download\w*|poll\w*|pull(?!\s+requests?|\s+out)|scrap(?:e|es|ed|ing)"
    r"|retriev\w*|grab\w*|crawl\w*)\b",
    _I,
)
_MAYBE_FETCH_RE = re.compile(
    r"\b(?:get|gets|call|calls|query|queries|check|checks|read|reads|hit|monitor\w*|watch\w*"
    r"|look\s+up|load)\b",
    _I,
)
_WEB_THING_RE = re.compile(
    r"\b(?:apis?|endpoints?|urls?|feeds?|rss|json|websites?|sites?|web\s*pages?|pages?|servers?"
    r"|github|issues|pull\s+requests|prs|weather|news|prices?|rates?|orders|data)\b",
    _I,
)
_GITHUB_RE = re.compile(r"\bgithub\b", _I)
_GITHUB_THING_RE = re.compile(r"\b(?:issues|pull\s+requests|prs|commits|releases)\b", _I)
_PULLS_RE = re.compile(r"\b(?:pull\s+requests?|prs)\b", _I)
_CLOSED_RE = re.compile(r"\bclosed\b", _I)
_FEED_RE = re.compile(r"\b(?:rss|atom|feed)\b", _I)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{1,30}")
_SKIP_WORDS = frozenset(
    "the a an our my your their his her its all any some every new latest recent open current "
    "today's todays list of from this that these those me us them it and data info information "
    "api endpoint with using via".split()
)
GITHUB_PLACEHOLDER = "https://api.github.com/repos/OWNER/REPO/{what}?state={state}"


def find_http(clause: Clause, masked: Masked) -> list[Intent]:
    """One intent per URL in the clause; without a URL, one when a fetch verb asks for data."""
    intents = []
    for url in (u for u in masked.urls if clause.holds(u)):
        before = masked.text[max(clause.start, url.start - 80) : url.start]
        other = _OTHER_METHOD_RE.search(before) or _METHOD_AFTER_RE.search(
            masked.text[url.end : url.end + 40])
        method = other.group(1).upper() if other else "GET"
        if method == "GET" and _SEND_BEFORE_RE.search(before):
            method = "POST"
        rank = RANK_FETCH if method == "GET" else RANK_DELIVERY
        what = url_label(url.value, host_only=method != "GET")
        params = {"url": url.value, "method": method, "what": what}
        intents.append(Intent("http_request", url.start, rank, params))
    if intents:
        return intents
    verb = _ALWAYS_FETCH_RE.search(clause.text)
    if verb is None:
        maybe = _MAYBE_FETCH_RE.search(clause.text)
        verb = maybe if maybe and _WEB_THING_RE.search(clause.text) else None
    if verb is None:
        # GitHub data is always fetched, even when no verb says so ("a report of open PRs").
        verb = _GITHUB_RE.search(clause.text) if _GITHUB_THING_RE.search(clause.text) else None
    if verb is None:
        return []
    url, what = _placeholder(clause.text, clause.text[verb.end() :])
    params = {"url": url, "method": "GET", "what": what, "placeholder": True}
    return [Intent("http_request", clause.start + verb.start(), RANK_FETCH, params)]


def _placeholder(clause_text: str, after_verb: str) -> tuple[str, str]:
    """A URL that shows its shape and plainly needs replacing, and what it fetches."""
    if _GITHUB_RE.search(clause_text):
        state = "closed" if _CLOSED_RE.search(clause_text) else "open"
        if _PULLS_RE.search(clause_text):
            return GITHUB_PLACEHOLDER.format(what="pulls", state=state), "pull requests"
        return GITHUB_PLACEHOLDER.format(what="issues", state=state), "GitHub issues"
    if _FEED_RE.search(clause_text):
        return "https://example.com/feed.xml", "feed"
    words = (w.lower() for w in _WORD_RE.findall(after_verb)[:5])
    noun = next((w for w in words if w not in _SKIP_WORDS), "data")
    return f"https://api.example.com/{noun}", noun


def url_label(url: str, host_only: bool = False) -> str:
    """'https://example.com/api/items?x=1' -> 'items'; a bare host -> 'example.com'."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return "URL"
    segments = [s for s in parts.path.split("/") if re.search(r"[A-Za-z]", s)]
    if segments and not host_only and segments[-1].lower() not in ("api", "v1", "v2", "v3"):
        name = segments[-1].rsplit(".", 1)[0] if "." in segments[-1] else segments[-1]
        return re.sub(r"[-_+%]+", " ", name)[:40].strip() or "URL"
    host = (parts.hostname or "").removeprefix("www.")
    return host[:40] or "URL"
