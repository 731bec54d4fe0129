"""One plain-text completion, for workflow steps (the chat uses stream.py's JSON answers).

One attempt, no retries: the caller (the durable runner) has its own retry policy. Unlike the
chat, which a person is watching, timeouts and failed connections are marked retryable here.
"""

from __future__ import annotations

import httpx2
import openai

from workflow_chat.llm.errors import LLMError
from workflow_chat.llm.provider import check_finish, make_client, read_error, to_llm_error
from workflow_chat.llm.settings import LLMSettings

# Anthropic requires a cap on the answer; generous for a summary or a translation.
MAX_TOKENS = 4096


async def complete_text(messages: list[dict[str, str]], *, settings: LLMSettings) -> str:
    """The model's answer to `messages` (role/content dicts) as text, stripped.

    Raises LLMError for every failure, never quoting the API key: an HTTP error status (429
    and 5xx retryable, with retry_after), a timeout or failed connection (retryable), an answer
    that is empty, refused or cut off at the token limit (not retryable).
    """
    if settings.provider == "anthropic":
        return (await _complete_anthropic(messages, settings)).strip()
    return (await _complete_openai(messages, settings)).strip()


async def _complete_openai(messages: list[dict[str, str]], settings: LLMSettings) -> str:
    try:
        async with make_client(settings) as client:
            answer = await client.chat.completions.create(  # type: ignore[call-overload]
                model=settings.model, messages=messages
            )
    except openai.APIConnectionError as exc:  # APITimeoutError is one of these
        raise retryable(to_llm_error(exc, settings)) from None
    except openai.OpenAIError as exc:
        raise to_llm_error(exc, settings) from None
    except httpx2.HTTPError as exc:
        raise retryable(read_error(exc, settings)) from None
    choice = answer.choices[0] if answer.choices else None
    refusal = getattr(choice.message, "refusal", None) if choice else None
    if refusal:
        raise LLMError(f"The language model declined to answer: {refusal[:200]}")
    text = (choice.message.content or "") if choice else ""
    check_finish(choice.finish_reason if choice else None, received=bool(text.strip()),
                 settings=settings)
    return text


async def _complete_anthropic(messages: list[dict[str, str]], settings: LLMSettings) -> str:
    # Imported here: the Anthropic SDK is optional for deployments that never use it.
    import anthropic

    from workflow_chat.llm.anthropic_provider import make_anthropic_client
    from workflow_chat.llm.anthropic_provider import to_llm_error as anthropic_error

    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    turns = [m for m in messages if m["role"] != "system"]
    parts: list[str] = []
    finish: str | None = None
    try:
        # Streamed: Anthropic wants streaming for long requests; the text is the same.
        async with make_anthropic_client(settings) as client:
            stream = await client.messages.create(  # type: ignore[call-overload]
                model=settings.model, max_tokens=MAX_TOKENS, system=system, messages=turns,
                stream=True,
            )
            async with stream:
                async for event in stream:
                    if event.type == "content_block_delta" and event.delta.type == "text_delta":
                        parts.append(event.delta.text)
                    elif event.type == "message_delta" and event.delta.stop_reason:
                        finish = _ANTHROPIC_FINISH.get(event.delta.stop_reason, "stop")
    except anthropic.APIConnectionError as exc:
        raise retryable(anthropic_error(exc, settings, received=False)) from None
    except anthropic.AnthropicError as exc:
        raise anthropic_error(exc, settings, received=False) from None
    except httpx2.HTTPError as exc:
        raise retryable(read_error(exc, settings)) from None
    text = "".join(parts)
    check_finish(finish, received=bool(text.strip()), settings=settings)
    return text


_ANTHROPIC_FINISH = {"max_tokens": "length", "refusal": "content_filter"}


def retryable(error: LLMError) -> LLMError:
    """`error`, marked worth another attempt."""
    error.retryable = True
    return error
