"""Where results go: an email (to the addresses written, if any) or a Slack message."""

from __future__ import annotations

import re

from workflow_chat.llm.offline.intents import RANK_DELIVERY, Intent
from workflow_chat.llm.offline.sentence import Clause, Masked

_I = re.IGNORECASE
_WHO = r"(?:me|us|him|her|them|it|this|that|everyone|everybody|the\s+team|the\s+\w+)"
# "email" as a verb or a channel ("email me", "by email"), not as the thing being read
# ("summarise my emails").
_EMAIL_RE = re.compile(
    # "send them a welcome email": up to two words may describe the email.
    rf"\b(?:send|shoot|drop|write)\s+(?:{_WHO}\s+)?(?:an?\s+)?(?:[\w-]+\s+){{0,2}}?"
    r"(?:e-?mail|mail)\b(?!s)"
    r"|\b(?:by|via|over|through|per|in\s+an?|with\s+an?)\s+e-?mail\b"
    rf"|\be-?mail(?:ed|ing)?\s+(?:{_WHO}|to|a|an|my|our|team|results?|summary|summaries|report)\b"
    r"|\be-?mail(?:ed|ing)?\s+(?:it\s+)?(?:to\s+)?\x00"
    r"|\be-?mails\s+(?:me|us|him|her|them|it)\b"
    r"|^\s*(?:and\s+)?e-?mail\b(?!s)"
    r"|\b(?:get|gets|got|getting|receives?|received|receiving)\s+an?\s+e-?mail\b",
    _I,
)
_NOTIFY_RE = re.compile(
    r"\b(?:notify|alert|tell|ping|remind|inform)\s+(?:me|us|the\s+team|him|her|them)\b"
    r"|\blet\s+(?:me|us)\s+know\b",
    _I,
)
_SEND_TO_RE = re.compile(r"\b(?:send|forward|mail|deliver)\w*\b|\bto\s+\x00", _I)
_SLACK_RE = re.compile(r"(?<!from\s)\bslack\b", _I)
_CHANNEL_RE = re.compile(r"(?<![\w&])#([A-Za-z0-9][\w-]{0,79})")
_CHANNEL_VERB_RE = re.compile(r"\b(?:post|send|share|notify|announce|message|write|alert)\w*", _I)
_TO_CHANNEL_RE = re.compile(r"\b(?:to|in|on|into)\s+#\w", _I)
PLACEHOLDER_RECIPIENT = "you@example.com"


def find_delivery(clause: Clause, masked: Masked) -> list[Intent]:
    """Email and Slack intents in the clause, in the order they are written."""
    intents = []
    slack = _SLACK_RE.search(clause.text)
    channel = _CHANNEL_RE.search(clause.text)
    to_channel = channel and _TO_CHANNEL_RE.search(clause.text)
    if slack or (channel and (_CHANNEL_VERB_RE.search(clause.text) or to_channel)):
        where = slack or channel
        params = {"channel": "#" + channel.group(1) if channel else None}
        intents.append(Intent("slack", clause.start + where.start(), RANK_DELIVERY, params))
    addresses = [e.value for e in masked.emails if clause.holds(e)]
    email = _EMAIL_RE.search(clause.text)
    if email is None and not slack:
        email = _NOTIFY_RE.search(clause.text)
    if email is None and addresses:
        email = _SEND_TO_RE.search(clause.text)
    if email is not None:
        recipients = addresses or [e.value for e in masked.emails]
        params = {"to": list(dict.fromkeys(recipients))[:10]}
        intents.append(Intent("email", clause.start + email.start(), RANK_DELIVERY, params))
    return intents
