"""Cron expressions: checked with croniter, described in words with cron-descriptor."""

from __future__ import annotations

from functools import lru_cache

from cron_descriptor import Options, get_description
from croniter import croniter


@lru_cache(maxsize=1024)  # validation asks again for every node check; a refusal is not cached
def parse_cron(expression: str) -> None:
    """Raise ValueError with a readable reason when the expression is not a five-field cron
    (or six fields with seconds first, for schedules shorter than a minute)."""
    fields = expression.split()
    if len(fields) not in (5, 6):
        raise ValueError(
            f"cron must have 5 fields (minute hour day month weekday), got {len(fields)}"
        )
    if not croniter.is_valid(expression, second_at_beginning=len(fields) == 6):
        raise ValueError(f"invalid cron expression {expression!r}")


# Pure, and asked for every schedule node drawn: each call loads cron-descriptor's locale files
# (about 0.5 ms), several times per chat turn before this cache.
@lru_cache(maxsize=1024)
def describe_cron(expression: str) -> str:
    """'0 9 * * 1-5' -> 'At 09:00, Monday through Friday'."""
    options = Options()
    options.use_24hour_time_format = True
    try:
        return get_description(expression, options)
    except Exception:  # cron-descriptor raises its own hierarchy; a description is best effort
        return expression
