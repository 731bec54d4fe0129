"""A cron expression written out in the request ("cron 0 7 * * * -> GET …")."""

from __future__ import annotations

import re

from workflow_chat.nodes.cron_text import describe_cron, parse_cron

_I = re.IGNORECASE
# The word "cron" before the expression is part of it, so it is not read as a step.
_FIELD = r"[0-9*][0-9*/,-]*"
_RAW_CRON_RE = re.compile(
    rf"(?:\bcron\s*(?:expression\s*)?[:=]?\s*)?"
    rf"(?<![\w*/,-])((?:{_FIELD}\s+){{4}}{_FIELD})(?![\w*/,-])",
    _I,
)


def find_cron_literal(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """A valid five-field cron written in the text: (cron, description, span), else None."""
    for m in _RAW_CRON_RE.finditer(text):
        cron = " ".join(m.group(1).split())
        # Five bare numbers are not a schedule unless the word "cron" or a "*" says so.
        if "*" not in cron and not m.group().lower().startswith("cron"):
            continue
        try:
            parse_cron(cron)
        except ValueError:
            continue
        described = describe_cron(cron)
        return cron, described[:1].lower() + described[1:], m.span()
    return None
