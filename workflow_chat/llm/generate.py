"""One chat turn: the history goes to the model (or the offline planner) and comes back as text
plus a validated workflow. A graph that fails validation never leaves this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from workflow_chat.graph import GraphInvalid, Workflow, parse_workflow
from workflow_chat.llm.prompt import build_system_prompt
from workflow_chat.llm.provider import LLMError, complete_json
from workflow_chat.llm.settings import LLMSettings, load_llm_settings

# Enough context for a refinement conversation while keeping the prompt well under the
# context window of small local models.
MAX_HISTORY_MESSAGES = 20
MAX_MESSAGE_CHARS = 8000
SHOWN_ERRORS = 5
_ROLES = frozenset({"user", "assistant"})


class GenerationError(LLMError):
    """The model answered, but not with a usable reply.

    `errors` lists every problem found (validation messages, for a later repair turn);
    `raw` is the model's answer as received.
    """

    def __init__(self, message: str, *, errors: list[str], raw: str) -> None:
        super().__init__(message)
        self.errors = errors
        self.raw = raw


@dataclass
class AssistantReply:
    """What the assistant says, and the workflow it proposes (None for text-only answers)."""

    text: str
    workflow: Workflow | None
    source: Literal["llm", "offline"]


def _truncated(content: str) -> str:
    if len(content) <= MAX_MESSAGE_CHARS:
        return content
    # The start of a message carries the request; say how much was cut so the model knows.
    return f"{content[:MAX_MESSAGE_CHARS]}\n[… {len(content) - MAX_MESSAGE_CHARS} characters cut]"


def _turns(history: list[dict[str, str]]) -> list[dict[str, str]]:
    turns = [m for m in history if m.get("role") in _ROLES]
    if not turns or turns[-1]["role"] != "user":
        raise ValueError("history must end with the user's new message")
    return turns


def build_messages(history: list[dict[str, str]]) -> list[dict[str, str]]:
    """The messages sent to the model: the system prompt, then the last MAX_HISTORY_MESSAGES
    user/assistant turns, each cut to MAX_MESSAGE_CHARS.

    Other roles are dropped: only our own system prompt may instruct the model. Raises
    ValueError when the history does not end with a user message.
    """
    turns = _turns(history)[-MAX_HISTORY_MESSAGES:]
    # Some chat templates (Ollama, vLLM) reject a conversation that opens with the assistant.
    while turns[0]["role"] != "user":
        turns = turns[1:]
    return [{"role": "system", "content": build_system_prompt()}] + [
        {"role": m["role"], "content": _truncated(m.get("content") or "")} for m in turns
    ]


def _strip_fence(raw: str) -> str:
    # Some local models wrap JSON in a ```json fence even in JSON mode.
    text = raw.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3].strip()
        if text.lower().startswith("json"):
            text = text[4:]
    return text


def _invalid(reason: str, errors: list[str], raw: str) -> GenerationError:
    message = f"The language model's workflow was invalid: {reason}"
    return GenerationError(message, errors=errors, raw=raw)


def parse_answer(raw: str) -> tuple[str, Workflow | None]:
    """Read the model's JSON answer into (markdown text, validated workflow or None).

    Raises GenerationError when the JSON does not parse, does not have the agreed shape, or
    its workflow breaks a graph rule (the message lists the first SHOWN_ERRORS problems).
    """
    try:
        data: Any = json.loads(_strip_fence(raw))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        reason = f"the answer was not valid JSON ({exc.msg} at {where})."
        raise _invalid(reason, [reason], raw) from None
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        reason = (
            'the answer was not a JSON object {"message": text, "workflow": graph or null}.'
        )
        raise _invalid(reason, [reason], raw)
    text: str = data["message"]
    if data.get("workflow") is None:
        if not text.strip():
            reason = "the answer had neither a message nor a workflow."
            raise _invalid(reason, [reason], raw)
        return text, None
    try:
        workflow = parse_workflow(data["workflow"])
    except GraphInvalid as exc:
        shown = "; ".join(exc.errors[:SHOWN_ERRORS])
        more = len(exc.errors) - SHOWN_ERRORS
        suffix = f" (and {more} more)" if more > 0 else ""
        raise _invalid(f"{shown}{suffix}.", exc.errors, raw) from None
    return text, workflow


def _offline_reply(history: list[dict[str, str]]) -> AssistantReply:
    # Imported here: the offline planner is optional for callers that always have a model.
    from workflow_chat.llm.offline import plan

    reply = plan(_turns(history)[-1].get("content") or "")
    return AssistantReply(text=reply.text, workflow=reply.workflow, source="offline")


async def generate_reply(
    history: list[dict[str, str]], *, settings: LLMSettings | None = None
) -> AssistantReply:
    """Answer the last user message of `history` (role/content dicts, oldest first).

    Without a configured model the offline planner answers (source "offline"). Otherwise the
    returned workflow, when present, has passed `parse_workflow`. Raises LLMError when the model
    cannot be reached or refuses, GenerationError (an LLMError) when its answer is unusable.
    """
    settings = settings or load_llm_settings()
    if not settings.configured:
        return _offline_reply(history)
    raw = await complete_json(build_messages(history), settings=settings)
    text, workflow = parse_answer(raw)
    return AssistantReply(text=text, workflow=workflow, source="llm")
