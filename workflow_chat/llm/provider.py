"""OpenAI-compatible provider: streams a JSON answer through the OpenAI SDK and `base_url`
(OpenAI, OpenRouter, Ollama, vLLM, any compatible server).

Callers see one exception type, `LLMError`, whose message is written for the person in the chat
and never contains the API key. Retries live in retry.py, so the SDK's own are off.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator

import httpx2
import openai

from workflow_chat.llm.answer_schema import response_format
from workflow_chat.llm.errors import (
    LLMError,
    connection_error,
    status_error,
    stream_broken,
    timeout_error,
)
from workflow_chat.llm.settings import LLMSettings

__all__ = ["LLMError", "check_finish", "make_client", "read_error", "stream_openai", "to_llm_error"]

log = logging.getLogger(__name__)

# The SDK refuses to start without a key; Ollama and most local servers ignore it.
_PLACEHOLDER_KEY = "not-needed"
CUT = "cut the connection before the answer was complete."


def make_client(settings: LLMSettings) -> openai.AsyncOpenAI:
    """An SDK client for these settings, without SDK retries; close it (`async with`) when done."""
    key = settings.api_key.get_secret_value() if settings.api_key else _PLACEHOLDER_KEY
    return openai.AsyncOpenAI(
        api_key=key, base_url=settings.base_url, timeout=settings.timeout_seconds, max_retries=0
    )


def to_llm_error(error: openai.OpenAIError, settings: LLMSettings) -> LLMError:
    """Translate an SDK error into an LLMError with a person-readable message and no secrets."""
    if isinstance(error, openai.APITimeoutError):  # before APIConnectionError: it subclasses it
        return timeout_error(settings)
    if isinstance(error, openai.APIConnectionError):
        return connection_error(settings, error.__cause__ or error.__context__)
    if isinstance(error, openai.APIStatusError):
        return status_error(error.status_code, error.response.headers, error.body, settings)
    if isinstance(error, openai.APIError):  # an error event inside a 200 stream
        return stream_broken(settings, "reported an error while answering.")
    return LLMError(f"The language model at {settings.host} sent an answer that could not be read.")


def _answer_format(settings: LLMSettings) -> dict[str, object]:
    return response_format() if settings.json_schema_output else {"type": "json_object"}


async def stream_openai(
    messages: list[dict[str, str]], *, settings: LLMSettings
) -> AsyncGenerator[str, None]:
    """Yield the answer's text as it streams in (one chat completion with `stream=True`).

    Raises LLMError for every failure: transport, HTTP status, timeout (no data for
    `timeout_seconds`), a stream that is garbled, cut off, empty, refused or too long. Errors
    after the first chunk are never retryable: the text was already shown. Cancelling the
    consumer closes the HTTP response at once (the `async with` blocks below).
    """
    # One client per call: Reflex background events and tests run on different event loops,
    # and a pooled client is bound to the loop it was created on. Creation costs ~1 ms.
    finish: str | None = None
    received = False
    try:
        async with make_client(settings) as client:
            # Plain role/content dicts and a dict response_format: the SDK's TypedDicts are
            # structurally the same, which mypy cannot see through the overloads.
            stream = await client.chat.completions.create(  # type: ignore[call-overload]
                model=settings.model,
                messages=messages,
                response_format=_answer_format(settings),
                stream=True,
            )
            async with stream:
                async for chunk in stream:
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    refusal = getattr(choice.delta, "refusal", None)
                    if refusal:
                        raise LLMError(f"The language model declined to answer: {refusal[:200]}")
                    if choice.delta.content:
                        received = True
                        yield choice.delta.content
                    finish = choice.finish_reason or finish
    except LLMError:
        raise
    except openai.OpenAIError as exc:
        error = to_llm_error(exc, settings)
        if received:
            error.retryable = False
        log.warning("LLM call failed: %s", error.message)
        # `from None`: the SDK's own message may quote the server's text, which can echo the key.
        raise error from None
    except (httpx2.HTTPError, ValueError) as exc:
        raise read_error(exc, settings) from None
    check_finish(finish, received=received, settings=settings)


def read_error(error: Exception, settings: LLMSettings) -> LLMError:
    """An error met while reading a stream (the SDKs do not wrap these)."""
    if isinstance(error, httpx2.TimeoutException):
        return timeout_error(settings)
    if isinstance(error, httpx2.HTTPError):
        return stream_broken(settings, CUT)
    # A ValueError: an SSE line whose data is not JSON.
    return stream_broken(settings, "sent a stream that could not be read.")


def check_finish(finish: str | None, *, received: bool, settings: LLMSettings) -> None:
    """Raise LLMError unless the stream ended normally with some text."""
    if finish in ("length", "max_tokens"):
        raise LLMError("The language model's answer was cut off before it finished (too long).")
    if finish == "content_filter":
        raise LLMError("The language model's answer was withheld by its content filter.")
    if finish is None and received:
        raise stream_broken(settings, CUT)
    if not received:
        raise stream_broken(settings, "returned an empty answer.")
