"""What a connector sees while it runs one node, and how it reports a failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ConnectorError(Exception):
    """A node failed. `retryable` says whether another attempt may succeed (5xx, 429, timeouts);
    `retry_after` is the wait the peer asked for, in seconds (HTTP Retry-After)."""

    def __init__(self, message: str, *, retryable: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Steps' exceptions are pickled by DBOS: keep the keyword arguments across the trip.
        return (_rebuild_connector_error, (self.message, self.retryable, self.retry_after))


def _rebuild_connector_error(message: str, retryable: bool, retry_after: float | None) -> ConnectorError:
    return ConnectorError(message, retryable=retryable, retry_after=retry_after)


@dataclass
class RunContext:
    """One node's view of its run: earlier outputs, the trigger's payload and the secrets by name."""

    run_id: str
    node_id: str
    # Outputs of the nodes that finished before this one, by node id.
    outputs: dict[str, Any] = field(default_factory=dict)
    # The trigger's payload (manual input, webhook body, schedule time).
    trigger: Any = None
    # Resolves `{{ secrets.NAME }}`; records every value it hands out so it can be redacted.
    secrets: Any = None
    # Template text -> rendered text for this node: its shown input and its connector render
    # the same templates, so the second render (and every retry) reuses the first.
    rendered: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def idempotency_key(self) -> str:
        """Same on every attempt and after a crash, so a peer can drop a repeated side effect."""
        return f"{self.run_id}:{self.node_id}"
