"""Which trigger the request asks for: a schedule, a webhook, or (by default) a manual start."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workflow_chat.llm.offline.clock import find_timezone
from workflow_chat.llm.offline.cron_phrases import find_schedule

_I = re.IGNORECASE
_WHO = r"(?:a|an|the|my|our|someone|somebody|anyone|users?|customers?|visitors?|people)?\s*"
_WEBHOOK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(
        r"\b(?:when(?:ever)?|once|each\s+time|every\s+time)\s+(?:a|an|the|my|our)?\s*webhook\s+"
        r"(?:is\s+|gets\s+)?(?:called|hit|triggered|fires|fired|received|receives|pinged)\b", _I,
    ), "When the webhook is called"),
    # Another system calling in: "whenever our website's contact form posts to a webhook".
    (re.compile(
        r"\b(?:when(?:ever)?|once|each\s+time|every\s+time)\s+(?:[\w'-]+\s+){0,6}?"
        r"(?:posts?|sends?|calls?|hits?|pings?|notifies|triggers?|reaches|fires)\s+"
        r"(?:[\w'-]+\s+){0,3}?(?:to\s+|at\s+|on\s+)?(?:a|an|the|our|my)\s+webhook\b", _I,
    ), "When the webhook is called"),
    (re.compile(r"\bon\s+(?:a|an|each|every)?\s*(POST|GET|PUT)\s+(?:request|call)\b", _I),
     "On {method} request"),
    (re.compile(
        rf"\b(?:when(?:ever)?|once|after|each\s+time|every\s+time)\s+{_WHO}"
        r"(?:submits?\s+(?:a|an|the|our|my)?\s*(?:\w+\s+)?form"
        r"|(?:\w+\s+){0,2}form\s+(?:is|gets|was|has\s+been)\s+(?:submitted|filled|sent))\b"
        r"|\bon\s+(?:every\s+|each\s+)?form\s+submissions?\b", _I,
    ), "When a form is submitted"),
    (re.compile(
        r"\bwhen(?:ever)?\s+(?:an?\s+)?(?:new\s+)?(?:http\s+|api\s+)?(?:request|call)\s+"
        r"(?:comes\s+in|arrives|is\s+received|is\s+made)\b"
        r"|\bwhen(?:ever)?\s+(?:i|we)\s+receive\s+(?:a|an)\s+(?:webhook|request|http\s+request)\b"
        r"|\bwhen(?:ever)?\s+(?:a|an)\s+new\s+(?:\w+\s+){0,2}"
        r"(?:arrives|comes\s+in|is\s+(?:created|added|placed|received|posted))\b",
        _I,
    ), "When a request arrives"),
    (re.compile(
        r"\b(?:via|through|from|by|using|with|on)\s+(?:a|an|the)?\s*webhook\b"
        r"|\bwebhook\s+trigger\b|\btriggered\s+by\s+(?:a|an)?\s*(?:webhook|http\s+request)\b"
        r"|\b(?<!slack\s)(?<!discord\s)(?<!teams\s)webhook\b(?!\s*url)", _I,
    ), "When the webhook is called"),
)
_TO_INCOMING_RE = re.compile(r"\bto\s+(?:an?\s+|the\s+|our\s+|my\s+)?incoming\s+$", _I)
_CHAT_APP_RE = re.compile(r"\b(?:slack|discord|teams|mattermost)\b", _I)
_MANUAL_RE = re.compile(
    r"\b(?:manually|by\s+hand|on\s+demand"
    r"|when(?:ever)?\s+(?:i|we)\s+(?:click|press|hit|push)\s+(?:run|the\s+button|a\s+button)"
    r"|when(?:ever)?\s+(?:i|we)\s+run\s+it)\b",
    _I,
)


@dataclass(frozen=True)
class Trigger:
    kind: str
    config: dict[str, Any]
    label: str
    explain: str  # one sentence for the reply
    spans: tuple[tuple[int, int], ...] = ()
    notes: tuple[str, ...] = field(default=())


def detect_trigger(text: str) -> Trigger:
    """The earliest trigger phrase wins; with none, the workflow is started by hand."""
    candidates = [c for c in (_schedule(text), _webhook(text), _manual(text)) if c is not None]
    if not candidates:
        return Trigger("manual", {}, "Run manually", "Starts when you press **Run**.")
    candidates.sort(key=lambda pair: pair[0])
    chosen = candidates[0][1]
    if len(candidates) > 1:
        note = "A workflow has one trigger; I used the first one you mentioned."
        chosen = Trigger(chosen.kind, chosen.config, chosen.label, chosen.explain,
                         chosen.spans, chosen.notes + (note,))
    # Every trigger phrase is removed from the text, so "on a POST request" is not read as a
    # POST step and "when a form is submitted" not as a condition.
    spans = tuple(span for _, trigger in candidates for span in trigger.spans)
    return Trigger(chosen.kind, chosen.config, chosen.label, chosen.explain, spans, chosen.notes)


def _schedule(text: str) -> tuple[int, Trigger] | None:
    found = find_schedule(text)
    if found is None:
        return None
    zone = find_timezone(text)
    timezone, spans = (zone[0], found.spans + (zone[1],)) if zone else ("UTC", found.spans)
    label = found.description[0].upper() + found.description[1:]
    explain = f"Runs {found.description} ({timezone}), cron `{found.cron}`."
    trigger = Trigger("schedule", {"cron": found.cron, "timezone": timezone}, label, explain,
                      spans, found.notes)
    return found.start, trigger


def _webhook(text: str) -> tuple[int, Trigger] | None:
    for index, (pattern, label) in enumerate(_WEBHOOK_PATTERNS):
        match = next((m for m in pattern.finditer(text) if not _is_delivery(text, m, index)), None)
        if match is None:
            continue
        method = (match.group(1) or "POST").upper() if pattern.groups else "POST"
        label = label.format(method=method)
        explain = f"Starts when a {method} request reaches the workflow's webhook URL."
        if "form" in label:
            explain += " Point the form's action at that URL."
        spans = tuple(m.span() for p, _ in _WEBHOOK_PATTERNS for m in p.finditer(text))
        return match.start(), Trigger("webhook", {"method": method}, label, explain, spans)
    return None


def _is_delivery(text: str, match: re.Match[str], index: int) -> bool:
    # "post to Slack via a webhook" names how a message leaves, not what starts the workflow.
    # So does "send it to our incoming webhook"; "incoming webhook payloads" start it.
    before = text[max(0, match.start() - 40) : match.start()]
    return index == len(_WEBHOOK_PATTERNS) - 1 and (
        _CHAT_APP_RE.search(before) is not None or _TO_INCOMING_RE.search(before) is not None)


def _manual(text: str) -> tuple[int, Trigger] | None:
    match = _MANUAL_RE.search(text)
    if match is None:
        return None
    trigger = Trigger("manual", {}, "Run manually", "Starts when you press **Run**.",
                      (match.span(),))
    return match.start(), trigger
