"""Providers and the run itself: each prompt goes to a generator, and its answer is scored.

`offline` calls the rule-based planner directly; `llm` goes through `generate_reply` exactly as
the chat does (so any repair loop there counts); `auto` picks `llm` when a model is configured.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

from workflow_chat.graph import GraphInvalid, Workflow, parse_workflow
from workflow_chat.llm.eval.dataset import EvalCase
from workflow_chat.llm.eval.scoring import PromptResult
from workflow_chat.llm.settings import LLMSettings, LLMSettingsInvalid, load_llm_settings

PROVIDERS = ("auto", "offline", "llm")
# A hosted model rate-limits, a local one has few slots: a handful in flight is enough.
DEFAULT_CONCURRENCY = 4
SHOWN_ERRORS = 3

Generate = Callable[[str], Awaitable[Workflow | None]]


class ProviderUnavailable(Exception):
    """The chosen provider cannot run here; the message says what to set."""


# Each factory imports its provider before the clock starts: the first prompt's time should not
# include loading the planner's rules or the OpenAI SDK.
def offline_generator() -> Generate:
    """A generator that calls the rule-based planner directly."""
    from workflow_chat.llm.offline import plan

    async def generate(prompt: str) -> Workflow | None:
        return plan(prompt).workflow

    return generate


def llm_generator(settings: LLMSettings) -> Generate:
    """A generator that asks the configured model through the chat's own code path."""
    from workflow_chat.llm.generate import generate_reply

    async def generate(prompt: str) -> Workflow | None:
        reply = await generate_reply([{"role": "user", "content": prompt}], settings=settings)
        return reply.workflow

    return generate


def choose_generator(name: str, env: Mapping[str, str] | None = None) -> tuple[str, Generate]:
    """(the provider that will actually run, its generator). Raises ProviderUnavailable when
    `llm` is asked for without a configured model, or the LLM_* settings do not parse."""
    if name == "offline":
        return "offline", offline_generator()
    if name not in PROVIDERS:
        raise ProviderUnavailable(f"unknown provider {name!r} (choose from {', '.join(PROVIDERS)})")
    try:
        settings = load_llm_settings(env)
    except LLMSettingsInvalid as exc:
        raise ProviderUnavailable(f"the LLM settings are invalid: {exc}") from None
    if settings.configured:
        return "llm", llm_generator(settings)
    if name == "auto":
        return "offline", offline_generator()
    raise ProviderUnavailable(
        "--provider llm needs a configured model: set LLM_API_KEY (or OPENAI_API_KEY), or "
        "LLM_BASE_URL for a local server, and optionally LLM_MODEL"
    )


def _error_text(exc: BaseException) -> str:
    # LLMError carries a message written for people (and free of the API key).
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())


async def evaluate_case(case: EvalCase, generate: Generate) -> PromptResult:
    """Generate and score one prompt. Never raises: a failure is an invalid result."""
    started = time.perf_counter()
    workflow: Workflow | None = None
    error: str | None = None
    try:
        workflow = await generate(case.prompt)
    except Exception as exc:  # one bad answer must not end the whole evaluation
        error = _error_text(exc)
    seconds = time.perf_counter() - started
    if workflow is None:
        return PromptResult(case, False, (), seconds, error or "the answer had no workflow")
    produced = tuple(node.kind for node in workflow.nodes)
    try:
        # Validate again from JSON: the score should not rest on the generator's own word.
        parse_workflow(workflow.to_json())
    except GraphInvalid as exc:
        return PromptResult(case, False, produced, seconds, "; ".join(exc.errors[:SHOWN_ERRORS]))
    return PromptResult(case, True, produced, seconds)


async def evaluate(
    cases: Sequence[EvalCase], generate: Generate, *, concurrency: int = DEFAULT_CONCURRENCY
) -> list[PromptResult]:
    """Results in the order of `cases`, with at most `concurrency` prompts in flight."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(case: EvalCase) -> PromptResult:
        async with gate:
            return await evaluate_case(case, generate)

    return list(await asyncio.gather(*(one(case) for case in cases)))
