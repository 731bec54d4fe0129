"""What the run views draw, made from services.runs records: small rows, readable JSON, labels.

Plain functions and dataclasses (no Reflex), so the state stays thin and they are easy to test.
A record's input and output can be large: the view gets a truncated pretty text and asks for
the rest ("show more") only for the one record it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from workflow_chat.nodes import get_kind
from workflow_chat.services.runs import NodeRunView, RunDetail, RunSummary

OPEN_RUN = ("queued", "running")
# What a record shows before "show more", and the most it ever sends (a scroll box holds it).
SHORT_CHARS = 1_500
FULL_CHARS = 60_000
TRIGGER_LABELS = {"manual": "Manual", "schedule": "Schedule", "webhook": "Webhook"}


@dataclass
class RunItem:
    """One row of the run history (also the header of the open run)."""

    id: str = ""
    short: str = ""  # the id's first characters: enough to tell runs apart
    status: str = ""
    trigger: str = ""
    when: str = ""  # ISO UTC; the browser shows local time
    duration: str = ""
    version: int = 0
    error: str = ""


@dataclass
class StepItem:
    """One node of the open run, in graph order."""

    node_id: str = ""
    label: str = ""
    icon: str = "box"
    colour: str = "#64748b"
    status: str = "pending"
    attempts: int = 0
    duration: str = ""


@dataclass
class StepRecord:
    """The selected node's full record: its input and output as readable text."""

    node_id: str = ""
    label: str = ""
    status: str = ""
    attempts: int = 0
    duration: str = ""
    when: str = ""
    input_text: str = ""
    output_text: str = ""
    error: str = ""
    input_cut: bool = False  # the text is truncated; "show more" sends the rest
    output_cut: bool = False


def iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def duration_label(ms: int | None) -> str:
    """"340 ms", "1.2 s", "2 min 5 s", "1 h 3 min"; "" when not finished."""
    if ms is None:
        return ""
    if ms < 1000:
        return f"{max(ms, 0)} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(ms // 1000, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    return f"{minutes // 60} h {minutes % 60} min"


def run_item(run: RunSummary) -> RunItem:
    return RunItem(
        id=run.id, short=run.id[:8], status=run.status,
        trigger=TRIGGER_LABELS.get(run.trigger, run.trigger),
        when=iso(run.started_at or run.created_at), duration=duration_label(run.duration_ms),
        version=run.version_number, error=run.error or "",
    )


def missing_status(run_status: str) -> str:
    """The status of a node with no record yet: pending while the run is open."""
    if run_status in OPEN_RUN:
        return "pending"
    return "cancelled" if run_status == "cancelled" else ""


def run_steps(graph_nodes: list[dict[str, Any]], detail: RunDetail) -> list[StepItem]:
    """One row per node of the run's graph, in graph order, then any record of a node the
    graph no longer has (the graph was edited since)."""
    rows = {r.node_id: r for r in detail.nodes}
    missing = missing_status(detail.run.status)
    steps = []
    for node in graph_nodes:
        kind, row = get_kind(str(node.get("kind", ""))), rows.pop(str(node.get("id")), None)
        steps.append(StepItem(
            node_id=str(node.get("id")), label=str(node.get("label") or node.get("id")),
            icon=kind.icon if kind else "box", colour=kind.colour if kind else "#64748b",
            status=row.status if row else missing, attempts=row.attempts if row else 0,
            duration=duration_label(row.duration_ms) if row else "",
        ))
    steps += [StepItem(node_id=r.node_id, label=r.node_id, status=r.status, attempts=r.attempts,
                       duration=duration_label(r.duration_ms)) for r in rows.values()]
    return steps


def default_step(steps: list[StepItem]) -> str:
    """The step to show before the user picks one: the failure, else the one running, else
    the last that finished."""
    for wanted in ("failed", "running"):
        found = next((s.node_id for s in steps if s.status == wanted), "")
        if found:
            return found
    done = [s.node_id for s in steps if s.status == "succeeded"]
    return done[-1] if done else ""


def readable(value: Any, limit: int) -> tuple[str, bool]:
    """(text, truncated): a string as it is, anything else as indented JSON."""
    if value is None:
        return "", False
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return (text[:limit], True) if len(text) > limit else (text, False)


def step_record(label: str, row: NodeRunView | None, node_id: str, *, full: bool) -> StepRecord:
    """The record of `node_id` (a pending one when the node has no row yet)."""
    if row is None:
        return StepRecord(node_id=node_id, label=label, status="pending")
    limit = FULL_CHARS if full else SHORT_CHARS
    input_text, input_cut = readable(row.input, limit)
    output_text, output_cut = readable(row.output, limit)
    return StepRecord(
        node_id=node_id, label=label, status=row.status, attempts=row.attempts,
        duration=duration_label(row.duration_ms), when=iso(row.started_at),
        input_text=input_text, output_text=output_text, error=row.error or "",
        input_cut=input_cut, output_cut=output_cut,
    )


def fix_request(label: str, node_id: str, error: str) -> str:
    """The chat message that asks the assistant to repair a failed step."""
    error = error.strip().rstrip(".") or "no error message"
    return f"The step \u201c{label}\u201d ({node_id}) failed: {error}. Please fix the workflow."


def parse_payload(text: str) -> Any:
    """The run input typed in the dialog: None when empty, else its JSON value. Raises
    ValueError with a sentence that says where the JSON breaks."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"That is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
