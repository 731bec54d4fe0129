"""Two turns in Chromium: the follow-up edits the graph in place, and undo/redo walk the versions."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.flows import (
    assistant_messages,
    ask_for_workflow,
    canvas_nodes,
    register,
    send,
    settled_node_boxes,
)


def test_follow_up_patch_then_undo_redo_survive_reload(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    first = ask_for_workflow(page)
    count = len(first)
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
    expect(page.get_by_test_id("undo")).to_be_disabled()

    send(page, "also post it to Slack")
    expect(assistant_messages(page)).to_have_count(2, timeout=30_000)
    summary = assistant_messages(page).last
    expect(summary).to_contain_text("Added")
    expect(summary).to_contain_text("Slack")
    expect(canvas_nodes(page)).to_have_count(count + 1)
    expect(page.locator(".wfc-highlighted")).to_have_count(1)
    expect(page.locator(".wfc-highlighted")).to_contain_text("Slack")
    expect(page.get_by_test_id("versions")).to_contain_text("v2")
    second = settled_node_boxes(page, minimum=count + 1)
    # The edit kept the first graph's nodes where they were (relative to each other).
    anchor = min(first, key=lambda n: first[n].y)
    for node_id, box in first.items():
        dx = (second[node_id].x - second[anchor].x) - (box.x - first[anchor].x)
        dy = (second[node_id].y - second[anchor].y) - (box.y - first[anchor].y)
        assert abs(dx) < 6 and abs(dy) < 6, f"{node_id} moved by the edit"

    page.get_by_test_id("undo").click()
    expect(canvas_nodes(page)).to_have_count(count)
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
    expect(page.get_by_test_id("redo")).to_be_enabled()

    page.get_by_test_id("workflow-name").click()  # focus leaves the composer: keys go to the page
    page.keyboard.press("Control+Shift+z")
    expect(canvas_nodes(page)).to_have_count(count + 1)
    expect(page.get_by_test_id("versions")).to_contain_text("v2")
    page.keyboard.press("Control+z")
    expect(canvas_nodes(page)).to_have_count(count)
    page.keyboard.press("Control+y")
    expect(canvas_nodes(page)).to_have_count(count + 1)

    page.reload()
    expect(canvas_nodes(page)).to_have_count(count + 1, timeout=20_000)
    expect(page.get_by_test_id("versions")).to_contain_text("v2")
    expect(page.get_by_test_id("undo")).to_be_enabled()
    page.get_by_test_id("versions").click()
    expect(page.get_by_test_id("version-row")).to_have_count(2)
    page.keyboard.press("Escape")

    # The first turn's graph can be looked at, then restored as a new version.
    assistant_messages(page).first.get_by_test_id("show-message-graph").click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    expect(canvas_nodes(page)).to_have_count(count)
    page.get_by_test_id("restore-version").click()
    expect(page.get_by_test_id("preview-banner")).to_have_count(0)
    expect(page.get_by_test_id("versions")).to_contain_text("v3")
    expect(canvas_nodes(page)).to_have_count(count)
