"""Anthropic provider (LLM_PROVIDER=anthropic): streams the JSON answer through the official SDK.

How the JSON answer is obtained: a forced tool call. The request offers one tool, `answer`,
whose input schema is the answer schema (answer_schema.py, non-strict form), and sets
`tool_choice` to that tool, so the model must reply with exactly one `answer` call. The call's
input streams as `input_json_delta` fragments: the same growing JSON text the OpenAI path
streams, so the same MessageReader shows "message" token by token. A forced tool call was chosen
over prefilling `{"message": "` because it also gives the schema to the model and works with
models that reject a prefilled assistant turn.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

import anthropic
import httpx2

from workflow_chat.llm.answer_schema import answer_schema
from workflow_chat.llm.errors import (
    LLMError,
    connection_error,
    detail_of,
    scrub,
    status_error,
    timeout_error,
)
from workflow_chat.llm.provider import check_finish, read_error
from workflow_chat.llm.settings import LLMSettings

log = logging.getLogger(__name__)

TOOL_NAME = "answer"
# Anthropic requires a cap; a large graph in JSON stays well below it.
MAX_TOKENS = 8192
_PLACEHOLDER_KEY = "not-needed"
# stop_reason → the finish names check_finish knows.
_FINISH = {"tool_use": "stop", "end_turn": "stop", "max_tokens": "length",
           "refusal": "content_filter"}


def make_anthropic_client(settings: LLMSettings) -> anthropic.AsyncAnthropic:
    """An SDK client for these settings, without SDK retries; close it (`async with`) when done."""
    key = settings.api_key.get_secret_value() if settings.api_key else _PLACEHOLDER_KEY
    return anthropic.AsyncAnthropic(
        api_key=key, base_url=settings.base_url, timeout=settings.timeout_seconds, max_retries=0
    )


def answer_tool() -> dict[str, Any]:
    """The one tool the model is made to call; its input is the whole answer."""
    return {
        "name": TOOL_NAME,
        "description": "Send your answer: the message for the person, and a workflow or a patch.",
        "input_schema": answer_schema(strict=False),
    }


def to_llm_error(
    error: anthropic.AnthropicError, settings: LLMSettings, *, received: bool
) -> LLMError:
    """Translate an SDK error; an error event inside a 200 stream is retryable only before
    any text arrived."""
    if isinstance(error, anthropic.APITimeoutError):
        return timeout_error(settings)
    if isinstance(error, anthropic.APIConnectionError):
        return connection_error(settings, error.__cause__ or error.__context__)
    if isinstance(error, anthropic.APIStatusError):
        if error.status_code == 200:  # an `event: error` in the stream (e.g. overloaded)
            detail = scrub(detail_of(error.body), settings)
            return LLMError(
                f"The language model at {settings.host} reported an error while answering: "
                f"{detail or 'no detail'}",
                retryable=not received,
            )
        return status_error(error.status_code, error.response.headers, error.body, settings)
    return LLMError(f"The language model at {settings.host} sent an answer that could not be read.")


def _request(messages: list[dict[str, str]], settings: LLMSettings) -> dict[str, Any]:
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    turns = [{"role": m["role"], "content": m["content"]}
             for m in messages if m["role"] != "system"]
    return {
        "model": settings.model, "max_tokens": MAX_TOKENS, "system": system, "messages": turns,
        "tools": [answer_tool()], "tool_choice": {"type": "tool", "name": TOOL_NAME},
    }


async def stream_anthropic(
    messages: list[dict[str, str]], *, settings: LLMSettings
) -> AsyncGenerator[str, None]:
    """Yield the `answer` tool call's input JSON as it streams in. Same contract as
    provider.stream_openai: LLMError for every failure, prompt close on cancellation."""
    finish: str | None = None
    received = False
    try:
        async with make_anthropic_client(settings) as client:
            stream = await client.messages.create(**_request(messages, settings), stream=True)
            async with stream:
                async for event in stream:
                    if event.type == "content_block_delta":
                        if event.delta.type == "input_json_delta" and event.delta.partial_json:
                            received = True
                            yield event.delta.partial_json
                    elif event.type == "message_delta" and event.delta.stop_reason:
                        finish = _FINISH.get(event.delta.stop_reason, event.delta.stop_reason)
    except LLMError:
        raise
    except anthropic.AnthropicError as exc:
        error = to_llm_error(exc, settings, received=received)
        log.warning("LLM call failed: %s", error.message)
        raise error from None  # the SDK's message may quote server text that echoes the key
    except (httpx2.HTTPError, ValueError) as exc:
        raise read_error(exc, settings) from None
    check_finish(finish, received=received, settings=settings)
