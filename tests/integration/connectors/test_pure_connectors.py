"""Connectors without outside peers: triggers, transform, condition, delay and merge."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.nodes.registry import KINDS

OUTPUTS = {"fetch": {"status": 200, "body": {"issues": [{"id": 1, "title": "Bug"}]}},
           "empty": {"body": []}}


def _run(kind: str, config: dict[str, Any], ctx: RunContext | None = None) -> Any:
    node_kind = KINDS[kind]
    assert node_kind.run is not None
    context = ctx or RunContext("run-1", "n", outputs=OUTPUTS, trigger={"who": "ada"})
    return asyncio.run(node_kind.run(node_kind.config.model_validate(config), context))


def _fails(kind: str, config: dict[str, Any]) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        _run(kind, config)
    assert not caught.value.retryable
    return caught.value


def test_every_kind_can_run_and_only_outside_calls_are_side_effects() -> None:
    assert all(kind.run is not None for kind in KINDS.values())
    assert {name for name, kind in KINDS.items() if kind.side_effect} == {
        "http_request", "llm", "email", "slack"}


@pytest.mark.parametrize("kind", ["manual", "webhook"])
def test_triggers_output_their_payload(kind: str) -> None:
    assert _run(kind, {}) == {"who": "ada"}
    assert _run(kind, {}, RunContext("r", "t")) == {}


def test_the_schedule_trigger_outputs_its_payload() -> None:
    ctx = RunContext("r", "t", trigger={"scheduled_at": "2025-01-06T09:00:00+00:00"})
    assert _run("schedule", {"cron": "0 9 * * 1"}, ctx) == {
        "scheduled_at": "2025-01-06T09:00:00+00:00"}


def test_transform_renders_text() -> None:
    output = _run("transform", {"template": "{{ nodes.fetch.output.body.issues | length }} for "
                                            "{{ trigger.who }}"})
    assert output == {"value": "1 for ada"}


def test_transform_parses_json() -> None:
    template = '{"titles": {{ nodes.fetch.output.body.issues | map(attribute="title") | list '\
               '| tojson }}, "n": {{ nodes.fetch.output.status }}}'
    assert _run("transform", {"template": template, "parse_json": True}) == {
        "value": {"titles": ["Bug"], "n": 200}}


def test_transform_says_when_the_result_is_not_json() -> None:
    error = _fails("transform", {"template": "{{ trigger.who }}", "parse_json": True})
    assert error.message.startswith("template: the result is not JSON (Expecting value at line 1")
    assert "ada" not in error.message


def test_transform_template_errors_name_the_field() -> None:
    error = _fails("transform", {"template": "{{ nodes.fetch.output.bdy }}"})
    assert error.message.startswith("template: unknown name: nodes.fetch.output has no 'bdy'")


@pytest.mark.parametrize(("expression", "result"), [
    ("nodes.fetch.output.status == 200", True),
    ("nodes.fetch.output.body.issues | length > 1", False),
    ("nodes.empty.output.body", False),
    ("'Bug' in (nodes.fetch.output.body.issues | map(attribute='title'))", True),
    ("trigger.who", True),
])
def test_condition_outputs_the_truth_of_its_expression(expression: str, result: bool) -> None:
    assert _run("condition", {"expression": expression}) == {"result": result}


def test_condition_on_a_missing_value_fails_instead_of_guessing() -> None:
    error = _fails("condition", {"expression": "nodes.fetch.output.stats == 200"})
    assert error.message.startswith("expression: unknown name: nodes.fetch.output has no 'stats'")


def test_delay_reports_the_wait_without_waiting() -> None:
    started = time.perf_counter()
    assert _run("delay", {"amount": 2, "unit": "hours"}) == {"waited_seconds": 7200}
    assert time.perf_counter() - started < 0.5


def test_merge_outputs_the_outputs_it_was_given() -> None:
    ctx = RunContext("r", "join", outputs={"a": {"x": 1}, "b": {"y": 2}})
    assert _run("merge", {"mode": "all"}, ctx) == {"inputs": {"a": {"x": 1}, "b": {"y": 2}}}
