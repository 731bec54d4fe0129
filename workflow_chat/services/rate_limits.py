"""Rate limits on logging in and on sending messages, per IP and per account (moving windows).

Limits are read from the environment on every call, so an operator (or a test) can change them
without a restart; the counters live in memory, or in Redis when RATE_LIMIT_REDIS_URL or
REFLEX_REDIS_URL is set so that several backend workers share them. A request over a limit
raises RateLimited with the seconds until the oldest counted attempt leaves its window.

| variable | default | what it counts |
|---|---|---|
| RATE_LIMITS_ENABLED | 1 | 0 / false / off turns every limit off |
| RATE_LIMIT_LOGIN_PER_IP | 10/minute | login attempts (right or wrong) from one IP |
| RATE_LIMIT_LOGIN_FAILURES | 5/5 minutes | wrong passwords for one account (or one unknown name) from one IP |
| RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT | 100/hour | wrong passwords for one account from anywhere |
| RATE_LIMIT_MESSAGES_PER_USER | 20/minute | messages a user sends |
| RATE_LIMIT_MESSAGES_PER_IP | 60/minute | messages sent from one IP |

Values use the `limits` syntax ("10/minute", "5 per 5 minutes"); a value that does not parse
is logged and the default used. A caller without an IP (a script, a test) skips the IP limits
and counts its wrong passwords as one more "IP".

Wrong passwords lock an account only for the address they came from, so a stranger cannot lock
the owner out on purpose; the per-account ceiling, far higher, stops guessing spread over many
addresses (and then does lock everyone out of that account until its window moves on).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from workflow_chat.services.errors import RateLimited
from workflow_chat.settings import database_url

log = logging.getLogger(__name__)

DEFAULTS = {
    "RATE_LIMIT_LOGIN_PER_IP": "10/minute",
    "RATE_LIMIT_LOGIN_FAILURES": "5/5 minutes",
    "RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT": "100/hour",
    "RATE_LIMIT_MESSAGES_PER_USER": "20/minute",
    "RATE_LIMIT_MESSAGES_PER_IP": "60/minute",
}
_OFF = {"0", "false", "off", "no"}


def enabled() -> bool:
    return os.environ.get("RATE_LIMITS_ENABLED", "1").strip().lower() not in _OFF


def _limit(variable: str) -> RateLimitItem:
    raw = os.environ.get(variable, "").strip() or DEFAULTS[variable]
    try:
        return parse(raw)
    except ValueError:
        log.error("%s=%r is not a rate limit like '10/minute'; using %s", variable, raw,
                  DEFAULTS[variable])
        return parse(DEFAULTS[variable])


def _storage_url() -> str:
    for variable in ("RATE_LIMIT_REDIS_URL", "REFLEX_REDIS_URL"):
        url = os.environ.get(variable, "").strip()
        if url:
            return url
    return "memory://"


@lru_cache(maxsize=4)
def _limiter(url: str) -> MovingWindowRateLimiter:
    options = {} if url == "memory://" else {
        "wrap_exceptions": True, "socket_timeout": 1, "socket_connect_timeout": 1}
    return MovingWindowRateLimiter(storage_from_string(url, **options))


def _namespace() -> str:
    # User ids and account names mean something only within one database: a Redis shared by
    # two deployments (or by tests, each with its own database) must not add up their counts.
    return hashlib.sha256(database_url().encode()).hexdigest()[:12]


@dataclass(frozen=True)
class _Counter:
    item: RateLimitItem
    key: tuple[str, ...]


def _counter(variable: str, *key: str) -> _Counter:
    return _Counter(_limit(variable), ("wfc", _namespace(), variable.lower(), *key))


def _retry_after(limiter: MovingWindowRateLimiter, counter: _Counter) -> int:
    reset = limiter.get_window_stats(counter.item, *counter.key).reset_time
    return max(1, math.ceil(reset - time.time()))


def _over(counters: list[_Counter], *, consume: bool) -> int:
    """Seconds to wait when any counter is full (0 when none is); with `consume`, a request
    that passes is counted in every counter. A refused request is never counted."""
    limiter = _limiter(_storage_url())
    try:
        waits = [_retry_after(limiter, c) for c in counters if not limiter.test(c.item, *c.key)]
        if waits:
            return max(waits)
        if consume:
            for counter in counters:
                limiter.hit(counter.item, *counter.key)
    except StorageError as exc:
        # Better to let people in than to lock everyone out while Redis is down.
        log.warning("rate limit storage unavailable, not limiting: %s", type(exc.storage_error).__name__)
    return 0


def _account_key(account: str) -> str:
    return account.strip().lower()[:254]


def _failure_counters(account: str, ip: str | None) -> list[_Counter]:
    """Wrong passwords for the account from this IP, then from anywhere."""
    key = _account_key(account)
    return [_counter("RATE_LIMIT_LOGIN_FAILURES", key, ip or "-"),
            _counter("RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT", key)]


def check_login(*, account: str, ip: str | None, count_ip: bool = True) -> None:
    """Before a password is checked: counts the attempt against the IP (unless `count_ip` is
    False: a password change is not a login), and refuses it when the IP, the account from
    that IP or the account as a whole (`user:<id>`, or the name typed when no account has it)
    is over its limit. Raises RateLimited."""
    if not enabled():
        return
    counters = [_counter("RATE_LIMIT_LOGIN_PER_IP", ip)] if ip and count_ip else []
    wait = _over(_failure_counters(account, ip), consume=False) or _over(counters, consume=True)
    if wait:
        raise RateLimited(f"Too many attempts, try again in {wait} s.", retry_after=wait)


def record_login_failure(*, account: str, ip: str | None) -> None:
    """Count a wrong password against the account, from `ip` and overall."""
    if enabled():
        _over(_failure_counters(account, ip), consume=True)


def clear_login_failures(*, account: str, ip: str | None) -> None:
    """A right password forgives the mistakes made from the same IP. The account-wide count
    stays: the owner signing in must not reset the budget of someone guessing elsewhere."""
    if not enabled():
        return
    counter = _failure_counters(account, ip)[0]
    try:
        _limiter(_storage_url()).clear(counter.item, *counter.key)
    except StorageError:
        pass


def check_message(*, user_id: int, ip: str | None, consume: bool = True) -> None:
    """Count one message by `user_id` (and from `ip`); RateLimited when either is over its
    limit. `consume=False` only asks (e.g. before creating a chat for the message)."""
    if not enabled():
        return
    counters = [_counter("RATE_LIMIT_MESSAGES_PER_USER", str(user_id))]
    if ip:
        counters.append(_counter("RATE_LIMIT_MESSAGES_PER_IP", ip))
    wait = _over(counters, consume=consume)
    if wait:
        raise RateLimited(f"Too many messages, try again in {wait} s.", retry_after=wait)
