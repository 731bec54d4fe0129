"""One chat turn: the history (and the current graph) go to the model, or to the offline planner,
and come back as text plus a validated workflow. Generate → validate → repair: an answer that
breaks a rule is sent back with the exact errors, up to MAX_REPAIRS times, and a graph that
fails validation never leaves this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from workflow_chat.graph import Workflow
from workflow_chat.graph.patch import PatchResult
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.llm.answer import AnswerInvalid, read_answer
from workflow_chat.llm.errors import LLMError
from workflow_chat.llm.interpret import interpret, repair_request
from workflow_chat.llm.prompt import system_prompt
from workflow_chat.llm.settings import LLMSettings, load_llm_settings
from workflow_chat.llm.stream import TextCallback, emit, stream_answer

__all__ = ["AssistantReply", "GenerationError", "LLMError", "build_messages", "generate_reply",
           "parse_answer"]

log = logging.getLogger(__name__)

# Enough context for a refinement conversation while keeping the prompt well under the
# context window of small local models.
MAX_HISTORY_MESSAGES = 20
MAX_MESSAGE_CHARS = 8000
MAX_REPAIRS = 2
SHOWN_ERRORS = 3
_ROLES = frozenset({"user", "assistant"})


class GenerationError(LLMError):
    """The model answered, but not with a usable reply, even after the repair rounds.

    `errors` lists every problem of the last answer; `raw` is that answer as received.
    """

    def __init__(self, message: str, *, errors: list[str], raw: str) -> None:
        super().__init__(message)
        self.errors = errors
        self.raw = raw


@dataclass(frozen=True)
class AssistantReply:
    """What the assistant says and what it changed.

    `workflow` is the complete resulting graph whenever the turn produced one (for a patch,
    the applied result), None for a text-only answer. `patch` and `result` are set when the
    graph came from a patch on the current graph. `repairs` counts the repair rounds used.
    """

    text: str
    workflow: Workflow | None
    source: Literal["llm", "offline"]
    patch: Patch | None = None
    result: PatchResult | None = None
    repairs: int = 0


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


def build_messages(
    history: list[dict[str, str]], *, current: Workflow | None = None,
    instructions: str | None = None,
) -> list[dict[str, str]]:
    """The messages sent to the model: the system prompt (with the project's `instructions`
    and `current` as JSON when given),
    then the last MAX_HISTORY_MESSAGES user/assistant turns, each cut to MAX_MESSAGE_CHARS.

    Other roles are dropped: only our own system prompt may instruct the model. Raises
    ValueError when the history does not end with a user message.
    """
    turns = _turns(history)[-MAX_HISTORY_MESSAGES:]
    # Some chat templates (Ollama, vLLM) reject a conversation that opens with the assistant.
    while turns[0]["role"] != "user":
        turns = turns[1:]
    return [{"role": "system", "content": system_prompt(current, instructions)}] + [
        {"role": m["role"], "content": _truncated(m.get("content") or "")} for m in turns
    ]


def _summary(errors: list[str]) -> str:
    shown = "; ".join(errors[:SHOWN_ERRORS])
    more = len(errors) - SHOWN_ERRORS
    return f"{shown} (and {more} more)" if more > 0 else shown


def parse_answer(raw: str) -> tuple[str, Workflow | None]:
    """Read one answer without a current graph into (text, validated workflow or None).
    Raises GenerationError listing the problems. (For callers outside the repair loop.)"""
    try:
        outcome = interpret(read_answer(raw), None)
    except AnswerInvalid as exc:
        message = f"The language model's workflow was invalid: {_summary(exc.errors)}."
        raise GenerationError(message, errors=exc.errors, raw=raw) from None
    return outcome.text, outcome.workflow


async def _offline_reply(
    history: list[dict[str, str]], current: Workflow | None, on_text: TextCallback | None
) -> AssistantReply:
    from workflow_chat.llm.offline_turn import offline_reply  # the planner's rules load lazily

    reply = offline_reply(_turns(history)[-1].get("content") or "", current)
    await emit(on_text, reply.text)
    return reply


async def generate_reply(
    history: list[dict[str, str]],
    *,
    current: Workflow | None = None,
    settings: LLMSettings | None = None,
    on_text: TextCallback | None = None,
    instructions: str | None = None,
) -> AssistantReply:
    """Answer the last user message of `history` (role/content dicts, oldest first).

    `instructions` (the project's active system prompt) join the model's system message; the
    offline planner does not read them.

    With `current` (the chat's graph) the model is asked for a patch, applied here. `on_text`
    receives the reply text as it streams (the whole text so far, each time it grows; a repair
    round starts again from its beginning) and may be sync or async. Without a configured model
    the offline planner answers (source "offline", `on_text` called once). Any workflow
    returned has passed validation. Raises LLMError when the model cannot be reached or
    refuses, GenerationError (an LLMError) when its answers stay invalid after MAX_REPAIRS
    repair rounds. Cancelling the task closes the stream.
    """
    settings = settings or load_llm_settings()
    if not settings.configured:
        return await _offline_reply(history, current, on_text)
    messages = build_messages(history, current=current, instructions=instructions)
    shown = ""

    async def show(text: str) -> None:
        nonlocal shown
        shown = text
        await emit(on_text, text)

    for repairs in range(MAX_REPAIRS + 1):
        raw = await stream_answer(messages, settings=settings, on_text=show if on_text else None)
        try:
            outcome = interpret(read_answer(raw, current=current), current)
        except AnswerInvalid as exc:
            errors = exc.errors
            log.info("answer unusable (%d problems), round %d: %s", len(errors), repairs + 1,
                     _summary(errors))
            messages = messages + [
                {"role": "assistant", "content": raw},
                {"role": "user", "content": repair_request(errors)},
            ]
            continue
        if outcome.text != shown:  # only after odd escapes the incremental reader skipped
            await emit(on_text, outcome.text)
        return AssistantReply(
            text=outcome.text, workflow=outcome.workflow, source="llm",
            patch=outcome.patch, result=outcome.result, repairs=repairs,
        )
    kept = "Your last good workflow was kept." if current is not None else "No workflow was saved."
    raise GenerationError(
        f"The language model could not produce a valid workflow after {MAX_REPAIRS} repair "
        f"attempts: {_summary(errors)}. {kept}",
        errors=errors, raw=raw,
    )
