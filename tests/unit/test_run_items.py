"""What the run views draw: durations, readable and truncated JSON, step rows in graph order,
the step shown first, the fix request, the run input, and run status on canvas nodes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from workflow_chat.graph.flow_view import with_run_status
from workflow_chat.services.runs import NodeRunView, RunDetail, RunSummary
from workflow_chat.state.run_items import (
    SHORT_CHARS, default_step, duration_label, fix_request, parse_payload, readable, run_item,
    run_steps, step_record,
)

T0 = datetime(2025, 1, 2, 9, 0, tzinfo=timezone.utc)


def _row(node_id: str, status: str, ms: int | None = 5, **extra) -> NodeRunView:
    end = T0 + timedelta(milliseconds=ms) if ms is not None else None
    return NodeRunView(node_id=node_id, status=status, attempts=1, input=extra.get("input"),
                       output=extra.get("output"), error=extra.get("error"), started_at=T0,
                       finished_at=end)


def _detail(status: str, rows: list[NodeRunView]) -> RunDetail:
    run = RunSummary(id="0123456789abcdef", chat_id=1, version_number=3, trigger="manual",
                     status=status, error=None, created_at=T0, started_at=T0, finished_at=None)
    return RunDetail(run=run, input=None, nodes=rows)


GRAPH = [{"id": "start", "label": "Start", "kind": "manual"},
         {"id": "fetch", "label": "Fetch", "kind": "http_request"},
         {"id": "mail", "label": None, "kind": "email"}]


@pytest.mark.parametrize("ms, text", [(None, ""), (0, "0 ms"), (340, "340 ms"), (1234, "1.2 s"),
                                      (125_000, "2 min 5 s"), (3_780_000, "1 h 3 min")])
def test_durations_read_naturally(ms, text):
    assert duration_label(ms) == text


def test_a_run_row_names_its_trigger_and_short_id():
    item = run_item(_detail("running", []).run)
    assert (item.short, item.trigger, item.version, item.duration) == ("01234567", "Manual", 3, "")
    assert item.when == "2025-01-02T09:00:00+00:00"


def test_strings_stay_as_they_are_and_values_become_indented_json():
    assert readable("Hello\nworld", 100) == ("Hello\nworld", False)
    assert readable({"a": [1, "é"]}, 100) == ('{\n  "a": [\n    1,\n    "é"\n  ]\n}', False)
    assert readable(None, 100) == ("", False)
    text, cut = readable("x" * 50, 10)
    assert (text, cut) == ("x" * 10, True)


def test_a_long_output_is_cut_until_show_more():
    row = _row("fetch", "succeeded", output={"body": "y" * 5_000})
    short = step_record("Fetch", row, "fetch", full=False)
    assert short.output_cut and len(short.output_text) == SHORT_CHARS
    full = step_record("Fetch", row, "fetch", full=True)
    assert not full.output_cut and full.output_text.endswith('"\n}')


def test_steps_follow_the_graph_and_missing_rows_are_pending_while_open():
    rows = [_row("start", "succeeded"), _row("fetch", "running", ms=None), _row("gone", "failed")]
    steps = run_steps(GRAPH, _detail("running", rows))
    assert [(s.node_id, s.label, s.status) for s in steps] == [
        ("start", "Start", "succeeded"), ("fetch", "Fetch", "running"),
        ("mail", "mail", "pending"), ("gone", "gone", "failed")]
    assert steps[1].icon == "globe" and steps[0].duration == "5 ms" and steps[1].duration == ""
    assert run_steps(GRAPH, _detail("cancelled", rows[:1]))[2].status == "cancelled"
    assert run_steps(GRAPH, _detail("succeeded", rows[:1]))[2].status == ""


def test_the_step_shown_first_is_the_failure_then_the_running_one_then_the_last_done():
    def steps(*statuses):
        return run_steps(GRAPH, _detail("running", [_row(n["id"], s) for n, s in zip(GRAPH, statuses)]))
    assert default_step(steps("succeeded", "failed", "skipped")) == "fetch"
    assert default_step(steps("succeeded", "running", "pending")) == "fetch"
    assert default_step(steps("succeeded", "succeeded", "pending")) == "fetch"
    assert default_step(steps("pending", "pending", "pending")) == ""


def test_the_fix_request_quotes_the_step_and_its_error():
    assert fix_request("Fetch items", "fetch", "HTTP 500 from https://x.test.") == (
        "The step \u201cFetch items\u201d (fetch) failed: HTTP 500 from https://x.test. "
        "Please fix the workflow.")


def test_run_input_is_json_or_nothing():
    assert parse_payload("  ") is None
    assert parse_payload('{\n "a": 1\n}') == {"a": 1}
    with pytest.raises(ValueError, match=r"not valid JSON: .* \(line 1, column 7\)"):
        parse_payload('{"a": ')


def test_run_status_is_set_on_canvas_nodes_and_taken_off_again():
    nodes = [{"id": "a", "data": {"label": "A"}}, {"id": "b", "data": {"label": "B"}}]
    painted = with_run_status(nodes, {"a": "running"})
    assert [n["data"].get("status") for n in painted] == ["running", None]
    assert "status" not in nodes[0]["data"]  # the input is not modified
    assert all("status" not in n["data"] for n in with_run_status(painted, None))
