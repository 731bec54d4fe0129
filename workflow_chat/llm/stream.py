"""One streamed model answer: pick the provider, retry what may be retried, and report the
growing "message" text as it arrives."""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing

from workflow_chat.llm.message_stream import MessageReader
from workflow_chat.llm.retry import with_retries
from workflow_chat.llm.settings import LLMSettings

TextCallback = Callable[[str], Awaitable[None] | None]


async def emit(on_text: TextCallback | None, text: str) -> None:
    """Call `on_text`, awaiting it when it is a coroutine function."""
    if on_text is None:
        return
    result = on_text(text)
    if inspect.isawaitable(result):
        await result


def _chunks(
    messages: list[dict[str, str]], settings: LLMSettings
) -> AsyncGenerator[str, None]:
    # Imported here: the Anthropic SDK is optional for deployments that never use it.
    if settings.provider == "anthropic":
        from workflow_chat.llm.anthropic_provider import stream_anthropic

        return stream_anthropic(messages, settings=settings)
    from workflow_chat.llm.provider import stream_openai

    return stream_openai(messages, settings=settings)


async def stream_answer(
    messages: list[dict[str, str]],
    *,
    settings: LLMSettings,
    on_text: TextCallback | None = None,
) -> str:
    """The model's raw answer (JSON text). `on_text` gets the message decoded so far each time
    it grows, one call per chunk at most; the caller throttles what it shows.

    A 429, a 5xx or a reset connection before the first chunk is retried (retry.py); any other
    failure raises LLMError. Cancelling the awaiting task closes the stream.
    """

    async def attempt() -> str:
        reader, parts = MessageReader(), []
        async with aclosing(_chunks(messages, settings)) as chunks:
            async for chunk in chunks:
                parts.append(chunk)
                if reader.feed(chunk):
                    await emit(on_text, reader.text)
        return "".join(parts)

    return await with_retries(attempt, max_retries=settings.max_retries)
