"""Ask again after a rate limit, a server error or a dropped connection, within a bounded wait.

The SDKs' own retries are off: they would retry timeouts too (multiplying the wait of a person
watching the chat) and cannot say why they waited. Here a 429's Retry-After is honoured, other
retryable failures back off exponentially with jitter, and the total wait stays bounded.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from workflow_chat.llm.errors import LLMError

log = logging.getLogger(__name__)
T = TypeVar("T")

BASE_DELAY_SECONDS = 1.0
# A server asking for a longer pause than this gets an immediate, clear error instead: the
# person would rather read "rate limited, it asked to wait 60 s" than watch a spinner.
MAX_SINGLE_WAIT_SECONDS = 20.0
MAX_TOTAL_WAIT_SECONDS = 30.0


def backoff_seconds(attempt: int, retry_after: float | None) -> float:
    """The pause before retry number `attempt` (0-based): the server's Retry-After when given
    (plus up to 10 % so callers rate-limited together do not return in lockstep), else
    BASE_DELAY * 2**attempt scaled by a random factor in [0.5, 1]."""
    if retry_after is not None:
        return retry_after * (1 + random.uniform(0, 0.1))
    return BASE_DELAY_SECONDS * (2**attempt) * random.uniform(0.5, 1.0)


async def with_retries(call: Callable[[], Awaitable[T]], *, max_retries: int) -> T:
    """Await `call()`; after an LLMError marked retryable, wait and call again, at most
    `max_retries` more times. Non-retryable errors (400, 401, timeouts, refused connections)
    and the last failure are raised as they are. Cancellation interrupts a wait at once."""
    waited = 0.0
    for attempt in range(max_retries + 1):
        try:
            return await call()
        except LLMError as exc:
            if not exc.retryable or attempt == max_retries:
                raise
            pause = backoff_seconds(attempt, exc.retry_after)
            if pause > MAX_SINGLE_WAIT_SECONDS or waited + pause > MAX_TOTAL_WAIT_SECONDS:
                raise
            log.info("LLM call failed (%s); retry %d in %.1f s", exc.message, attempt + 1, pause)
            await asyncio.sleep(pause)
            waited += pause
    raise AssertionError("unreachable: the loop returns or raises")
