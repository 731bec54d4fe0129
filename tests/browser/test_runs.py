"""Running a workflow from the canvas: live node status, the run view with a node's output, the
run history, run with JSON input, and the trigger settings of a webhook workflow."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.flows import canvas_nodes, register, send

GRAPH: dict[str, Any] = {
    "schema": 1, "name": "Greeting after a pause", "description": "wait, then greet",
    "nodes": [
        {"id": "start", "kind": "manual", "label": "Run by hand", "config": {}},
        {"id": "wait", "kind": "delay", "label": "Wait a second",
         "config": {"amount": 1, "unit": "seconds"}},
        {"id": "greet", "kind": "transform", "label": "Greet",
         "config": {"template": "Hello {{ trigger.name | default('world') }}!"}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "wait"},
              {"id": "e2", "source": "wait", "target": "greet"}],
}


WEBHOOK_GRAPH: dict[str, Any] = {
    "schema": 1, "name": "Note a call", "description": "a webhook, then a note",
    "nodes": [
        {"id": "hook", "kind": "webhook", "label": "On a call", "config": {"method": "POST"}},
        {"id": "note", "kind": "transform", "label": "Note it", "config": {"template": "noted"}},
    ],
    "edges": [{"id": "e1", "source": "hook", "target": "note"}],
}


def _import_graph(page: Page, folder: Path, graph: dict[str, Any] = GRAPH) -> None:
    path = folder / "imported.workflow.json"
    path.write_text(json.dumps(graph))
    page.get_by_test_id("import-workflow").click()
    page.get_by_role("dialog").locator("input[type=file]").set_input_files(path)
    page.get_by_test_id("import-confirm").click()
    expect(canvas_nodes(page)).to_have_count(len(graph["nodes"]))


def _dot(page: Page, node_id: str) -> Locator:
    return page.locator(f'[data-testid=canvas] .react-flow__node[data-id="{node_id}"] .wfc-status')


def _status(name: str) -> re.Pattern[str]:
    return re.compile(rf"\bwfc-status-{name}\b")


def test_a_run_shows_live_status_and_each_steps_output(
    new_page: Callable[[], Page], tmp_path: Path
) -> None:
    page = new_page()
    register(page)
    expect(page.get_by_test_id("run-button")).to_be_disabled()  # nothing to run yet
    _import_graph(page, tmp_path)
    expect(_dot(page, "wait")).to_have_count(0)  # no run shown: no status dots
    page.get_by_test_id("runs-toggle").click()
    expect(page.get_by_test_id("runs-empty")).to_have_text("No runs yet — press Run")

    page.get_by_test_id("run-button").click()
    expect(_dot(page, "wait")).to_have_class(_status("running"))
    expect(_dot(page, "greet")).to_have_attribute("data-status", "pending")
    expect(_dot(page, "wait")).to_have_class(_status("succeeded"), timeout=10_000)
    expect(_dot(page, "greet")).to_have_class(_status("succeeded"))
    expect(page.get_by_test_id("run-header").get_by_test_id("status-badge")).to_have_text(
        "Succeeded")

    # The run view: every step with its status; a step's record shows what it returned.
    steps = page.get_by_test_id("run-step")
    expect(steps).to_have_count(3)
    expect(steps.filter(has_text="Greet")).to_contain_text("Succeeded")
    page.get_by_test_id("run-step").filter(has_text="Wait a second").click()
    expect(page.get_by_test_id("record-output")).to_contain_text('"waited_seconds": 1')
    # A click on the canvas node while the run is shown picks that node's record.
    canvas_nodes(page).filter(has_text="Greet").click()
    expect(page.get_by_test_id("run-record")).to_contain_text("greet")
    expect(page.get_by_test_id("record-output")).to_contain_text("Hello world!")
    expect(page.get_by_test_id("inspector")).to_have_count(0)

    # The history lists the run; back there, the canvas no longer shows run status.
    page.get_by_test_id("runs-back").click()
    rows = page.get_by_test_id("run-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Succeeded")
    expect(rows.first).to_contain_text("Manual")
    expect(_dot(page, "greet")).to_have_count(0)

    # Run with input: bad JSON is explained and runs nothing; Enter adds a line; Ctrl+Enter runs.
    page.get_by_test_id("run-menu").click()
    page.get_by_test_id("run-with-input").click()
    box = page.get_by_test_id("run-input")
    box.fill('{"name": ')
    box.press("Control+Enter")
    expect(page.get_by_test_id("run-input-error")).to_contain_text("not valid JSON")
    box.fill('{\n  "name": "Ada"')
    box.press("Enter")  # a new line, not a submission
    box.type("}")
    expect(box).to_have_value('{\n  "name": "Ada"\n}')
    box.press("Control+Enter")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(_dot(page, "greet")).to_have_class(_status("succeeded"), timeout=10_000)
    expect(page.get_by_test_id("record-output")).to_contain_text("Hello Ada!")
    page.get_by_test_id("runs-back").click()
    expect(page.get_by_test_id("run-row")).to_have_count(2)


def test_a_webhook_url_starts_runs_until_its_token_is_regenerated(
    new_page: Callable[[], Page], tmp_path: Path
) -> None:
    page = new_page()
    register(page)
    _import_graph(page, tmp_path, WEBHOOK_GRAPH)
    chip = page.get_by_test_id("trigger-chip")
    expect(chip).to_have_text("Webhook")
    chip.click()
    url = page.get_by_test_id("webhook-url")
    expect(url).to_have_value(re.compile(r"^http://[^/]+/api/v1/hooks/\d+/[\w-]{20,}$"))
    old = url.input_value()
    page.get_by_test_id("webhook-rotate").click()
    page.get_by_test_id("rotate-confirm").click()
    chip.click()
    expect(url).not_to_have_value(old)
    new = url.input_value()
    page.keyboard.press("Escape")

    page.get_by_test_id("runs-toggle").click()
    expect(page.get_by_test_id("runs-empty")).to_be_visible()
    assert page.request.post(old, data={"text": "hi"}).status == 404
    assert page.request.post(new, data={"text": "hi"}).status == 202
    rows = page.get_by_test_id("run-row")  # the open history shows the call's run by itself
    expect(rows).to_have_count(1, timeout=10_000)
    expect(rows.first).to_contain_text("Webhook")
    rows.first.click()
    expect(page.get_by_test_id("run-header").get_by_test_id("status-badge")).to_have_text(
        "Succeeded")


def test_a_schedule_is_switched_on_and_off_with_its_next_times(
    new_page: Callable[[], Page]
) -> None:
    page = new_page()
    register(page)
    send(page, "every weekday at 9 fetch https://example.com/api/items and email me a summary")
    chip = page.get_by_test_id("trigger-chip")
    expect(chip).to_have_text("Schedule · off", timeout=30_000)
    chip.click()
    expect(page.get_by_test_id("next-run")).to_have_count(3)
    # In the browser's own time zone: "Mon 6 Jan, 09:00" when it is UTC, like the cron.
    expect(page.get_by_test_id("next-run").first).to_have_text(
        re.compile(r"^\w{3} \d{1,2} \w{3}, \d\d:\d\d$"))
    page.get_by_test_id("schedule-switch").click()
    expect(chip).to_have_text("Schedule · on")
    page.get_by_test_id("schedule-switch").click()
    expect(chip).to_have_text("Schedule · off")
