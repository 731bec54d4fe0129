"""The chat answer: what was built, step by step, and what to fill in before running it."""

from __future__ import annotations

import re

from workflow_chat.llm.offline.planner import Plan

SIGNATURE = "_Built by the offline planner — set an LLM key for richer workflows._"
EXAMPLE = (
    "every weekday at 9, fetch https://example.com/api/items, summarise them and email me"
)


def compose_reply(plan: Plan) -> str:
    """Markdown: an opening sentence, a numbered list of steps, notes, the signature line."""
    steps = plan.steps
    if plan.understood:
        opening = f"Here is a workflow with {len(steps)} steps, read from your description:"
    else:
        trigger = steps[0]
        understood = (
            f" I did understand the trigger: **{_md(trigger.label)}**."
            if trigger.kind != "manual"
            else ""
        )
        opening = (
            "I could not recognise any steps in your request, so this workflow has a single "
            f"LLM step that works on it as written.{understood}"
        )
    lines = [opening, ""]
    lines += [f"{n}. **{_md(s.label)}** — {s.explain}" for n, s in enumerate(steps, start=1)]
    if not plan.understood:
        lines += [
            "",
            "To be more specific, say when it should run and name each step, for example: "
            f"_{EXAMPLE}_. I know schedules, webhooks, HTTP calls (any URL), summarise / classify "
            "/ translate / extract, conditions (\"only if …\"), waits, email and Slack.",
        ]
    if plan.notes:
        lines += ["", "Before you run it:"] + [f"- {note}" for note in plan.notes]
    lines += ["", SIGNATURE]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Escape the characters that would turn a label into other markdown."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)
