"""One node's work with its retry policy and timeout: the body of a durable step, or a plain
call for pure kinds. It never raises for a node failure; the outcome says what happened."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import ValidationError

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.outcome import NodeOutcome, now_iso
from workflow_chat.engine.retry import DEFAULT_POLICY, DEFAULT_TIMEOUT_SECONDS, wait_before_retry
from workflow_chat.engine.secrets import Secrets
from workflow_chat.engine.templating import render_value
from workflow_chat.graph.schema import Node, RetryPolicy
from workflow_chat.nodes.registry import get_kind

ONE_ATTEMPT = RetryPolicy(max_attempts=1)


def _policy(node: Node, side_effect: bool) -> RetryPolicy:
    if node.retry is not None:
        return node.retry
    return DEFAULT_POLICY if side_effect else ONE_ATTEMPT


def _timeout(node: Node, config: Any) -> float:
    if node.timeout_seconds is not None:
        return node.timeout_seconds
    # A connector's own timeout (HTTP) is per request; leave it room to report its own error.
    own = getattr(config, "timeout_seconds", None)
    return float(own) + 5 if own else DEFAULT_TIMEOUT_SECONDS


async def run_node(node: Node, run_id: str, outputs: dict[str, Any], trigger: Any) -> dict[str, Any]:
    """Run a node until it succeeds or its attempts are spent; return a NodeOutcome as a dict
    with secrets redacted. The body of a durable step: DBOS stores what a step returns (plain
    data), never its arguments, so the node comes as parsed."""
    kind = get_kind(node.kind)
    secrets = Secrets(run_id=run_id)
    outcome = NodeOutcome(node_id=node.id, status="running", started_at=now_iso())
    if kind is None or kind.run is None:
        return _failed(outcome, f"kind {node.kind!r} cannot run", secrets)
    try:
        config = kind.config.model_validate(node.config)
    except ValidationError as error:
        return _failed(outcome, f"invalid config: {error.errors()[0]['msg']}", secrets)
    ctx = RunContext(run_id=run_id, node_id=node.id, outputs=outputs, trigger=trigger, secrets=secrets)
    policy, timeout = _policy(node, kind.side_effect), _timeout(node, config)
    # A pure kind never awaits anything, so a timeout could not interrupt it: spare the task
    # and timer that wait_for costs.
    timed = kind.side_effect or node.kind == "delay"
    outcome.input = _shown_input(node, ctx)
    while True:
        outcome.attempts += 1
        try:
            running = kind.run(config, ctx)
            output = await (asyncio.wait_for(running, timeout) if timed else running)
        except ConnectorError as error:
            message, retryable, retry_after = error.message, error.retryable, error.retry_after
        except asyncio.TimeoutError:
            message, retryable, retry_after = f"timed out after {timeout:g} s", True, None
        except Exception as error:  # a connector bug must fail the node, not the whole engine
            message, retryable, retry_after = f"{type(error).__name__}: {error}", False, None
        else:
            outcome.status, outcome.output, outcome.finished_at = "succeeded", output, now_iso()
            return _redacted(outcome, secrets)
        if not retryable or outcome.attempts >= policy.max_attempts:
            suffix = f" (after {outcome.attempts} attempts)" if outcome.attempts > 1 else ""
            return _failed(outcome, message + suffix, secrets)
        await asyncio.sleep(wait_before_retry(policy, outcome.attempts, retry_after))


def _shown_input(node: Node, ctx: RunContext) -> Any:
    """What the node received: its config with templates filled in (secrets are masked later
    by redact). A template that does not render shows as written; the error says why."""
    try:
        return render_value(node.config, ctx)
    except Exception:
        return node.config


def _failed(outcome: NodeOutcome, message: str, secrets: Secrets) -> dict[str, Any]:
    outcome.status, outcome.error, outcome.finished_at = "failed", message, now_iso()
    return _redacted(outcome, secrets)


def _redacted(outcome: NodeOutcome, secrets: Secrets) -> dict[str, Any]:
    dumped = outcome.model_dump(mode="json")  # a fresh copy: nothing to mask unless revealed
    return secrets.redact(dumped) if secrets.revealed else dumped
