"""Waits between attempts: exponential backoff with jitter, and the peer's Retry-After wins."""

from __future__ import annotations

import random

from workflow_chat.graph.schema import RetryPolicy

# Side-effect kinds retry by default; pure kinds fail at once (a retry would compute the same).
DEFAULT_POLICY = RetryPolicy()
DEFAULT_TIMEOUT_SECONDS = 120.0
# Jitter spreads retries of many runs hitting one peer; +-20 % keeps waits growing in order.
JITTER = 0.2
# A peer may ask for any wait; an hour is the most a run holds a step open for it.
MAX_RETRY_AFTER_SECONDS = 3600.0


def wait_before_retry(
    policy: RetryPolicy, attempt: int, retry_after: float | None = None, *, rng: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    if retry_after is not None and retry_after >= 0:
        return min(retry_after, MAX_RETRY_AFTER_SECONDS)
    base = min(policy.max_delay_seconds, policy.initial_delay_seconds * policy.backoff ** (attempt - 1))
    spread = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return min(policy.max_delay_seconds, base * spread)
