"""A thin wrapper over the OpenAI SDK that speaks to any compatible server through `base_url`.

Callers see one exception type, `LLMError`, whose message is written for the person in the chat
and never contains the API key.
"""

from __future__ import annotations

import logging
from typing import Any

import openai

from workflow_chat.llm.settings import LLMSettings

log = logging.getLogger(__name__)

# The SDK refuses to start without a key; Ollama and most local servers ignore it.
_PLACEHOLDER_KEY = "not-needed"
_DETAIL_CHARS = 200


class LLMError(Exception):
    """A language model call failed. `message` is safe to show to the person and to log.

    `status` is the HTTP status when the server answered; `retry_after` the seconds it asked to
    wait (429), when it said.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def make_client(settings: LLMSettings) -> openai.AsyncOpenAI:
    """An SDK client for these settings; close it (`async with`) when done."""
    key = settings.api_key.get_secret_value() if settings.api_key else _PLACEHOLDER_KEY
    return openai.AsyncOpenAI(
        api_key=key,
        base_url=settings.base_url,
        timeout=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


def _scrub(text: str, settings: LLMSettings) -> str:
    # Some servers echo the key back in their error text ("Incorrect API key provided: sk-...").
    if settings.api_key:
        text = text.replace(settings.api_key.get_secret_value(), "***")
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"


def _server_detail(error: openai.APIStatusError) -> str:
    body: Any = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    if isinstance(body, str):
        return body
    return ""


def _retry_after(error: openai.APIStatusError) -> float | None:
    value = error.response.headers.get("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:  # an HTTP date; rare enough not to parse
        return None


def to_llm_error(error: openai.OpenAIError, settings: LLMSettings) -> LLMError:
    """Translate an SDK error into an LLMError with a person-readable message and no secrets."""
    where = settings.host
    if isinstance(error, openai.APITimeoutError):  # before APIConnectionError: it subclasses it
        return LLMError(
            f"The language model at {where} did not answer within {settings.timeout_seconds:g} s."
        )
    if isinstance(error, openai.APIConnectionError):
        return LLMError(
            f"Could not reach the language model at {where}. Check LLM_BASE_URL and that the "
            "server is running."
        )
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        if status == 401:
            return LLMError(
                f"The language model at {where} rejected the API key (HTTP 401). "
                "Check LLM_API_KEY.",
                status=status,
            )
        if status == 403:
            return LLMError(
                f"The language model at {where} refused access (HTTP 403): the API key may "
                f"lack permission for model {settings.model!r}.",
                status=status,
            )
        if status == 429:
            wait = _retry_after(error)
            hint = f" (it asked to wait {wait:g} s)" if wait is not None else ""
            return LLMError(
                f"The language model at {where} is rate limited, try again shortly{hint}.",
                status=status,
                retry_after=wait,
            )
        detail = _scrub(_server_detail(error), settings)
        if status == 404:
            lead = (
                f"The language model at {where} does not know model {settings.model!r} "
                "or this API path (HTTP 404)"
            )
        elif status >= 500:
            lead = f"The language model at {where} had a server error (HTTP {status})"
        else:
            lead = f"The language model at {where} refused the request (HTTP {status})"
        return LLMError(f"{lead}: {detail}" if detail else f"{lead}.", status=status)
    return LLMError(f"The language model at {where} sent an answer that could not be read.")


async def complete_json(messages: list[dict[str, str]], *, settings: LLMSettings) -> str:
    """Ask for one chat completion in JSON mode and return its text (not yet parsed).

    JSON mode (`response_format={"type": "json_object"}`) works on OpenAI, OpenRouter and
    Ollama. Raises LLMError for every failure: transport, HTTP status, empty or cut-off answer.
    """
    # One client per call: Reflex background events and tests run on different event loops,
    # and a pooled client is bound to the loop it was created on. Creation costs ~1 ms.
    try:
        async with make_client(settings) as client:
            response = await client.chat.completions.create(
                model=settings.model,
                messages=messages,  # type: ignore[arg-type]  # plain role/content dicts
                response_format={"type": "json_object"},
            )
    except openai.OpenAIError as exc:
        error = to_llm_error(exc, settings)
        log.warning("LLM call failed: %s", error.message)
        # `from None`: the SDK's own message may quote the server's text, which can echo the key.
        raise error from None
    choice = response.choices[0] if response.choices else None
    if choice is not None and choice.finish_reason == "length":
        raise LLMError("The language model's answer was cut off before it finished (too long).")
    content = choice.message.content if choice is not None else None
    if not content or not content.strip():
        raise LLMError("The language model returned an empty answer.")
    return content
