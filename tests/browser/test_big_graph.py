"""A big graph (above the canvas's culling threshold, opened zoomed far out where cards are drawn
as plain boxes) shows its edges, there, after a pan (nodes mounted as boxes) and zoomed in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.benchmarks.bench_canvas import _empty_point, _zoom, _zoom_to, build_graph
from tests.browser.flows import ask_for_workflow, canvas_edges, canvas_nodes, register, toasts

SIZE = 300


def _drawn(page: Page) -> tuple[int, int]:
    """Nodes and edges React Flow has in the DOM now (only those on screen, for a big graph)."""
    return canvas_nodes(page).count(), canvas_edges(page).count()


def test_big_graph_draws_its_edges_zoomed_out_and_in(new_page: Callable[[], Page], tmp_path: Path) -> None:
    page = new_page()
    register(page)
    small = ask_for_workflow(page)
    small_title = page.get_by_test_id("chat-title").inner_text()
    page.get_by_test_id("new-chat").click()
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()
    path = tmp_path / "big.workflow.json"
    path.write_text(json.dumps(build_graph(SIZE)))  # every node at (0, 0): the canvas lays it out
    page.get_by_test_id("import-workflow").click()
    page.get_by_role("dialog").locator("input[type=file]").set_input_files(path)
    page.get_by_test_id("import-confirm").click()
    expect(toasts(page).filter(has_text="Imported as version 1")).to_have_count(1)
    flow = page.locator("[data-testid=canvas] .react-flow")
    expect(flow).to_have_attribute("data-nodes", str(SIZE), timeout=60_000)
    expect(page.get_by_test_id("canvas-busy")).to_have_count(0, timeout=60_000)
    # Back to the small graph and again to the big one: it arrives on a canvas that is already
    # framed and sized, so its nodes are mounted zoomed far out.
    big_title = page.get_by_test_id("chat-title").inner_text()
    page.get_by_test_id("chat-row").filter(has_text=small_title).click()
    expect(canvas_nodes(page)).to_have_count(len(small))
    page.get_by_test_id("chat-row").filter(has_text=big_title).click()
    expect(flow).to_have_attribute("data-nodes", str(SIZE))
    page.wait_for_timeout(800)  # the framing applied, culled nodes drawn

    assert _zoom(page) < 0.25, "a 300-step graph should open zoomed out to plain boxes"
    nodes, edges = _drawn(page)
    assert nodes > 20 and edges >= nodes // 2, (nodes, edges)

    # Pan down the tall graph: the nodes that come into view are mounted while drawn as boxes.
    x, y = _empty_point(page)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 600, steps=20)
    page.mouse.up()
    page.wait_for_timeout(500)
    nodes, edges = _drawn(page)
    assert nodes > 20 and edges >= nodes // 2, (nodes, edges)

    assert _zoom_to(page, 1.0) > 0.45  # full cards
    nodes, edges = _drawn(page)
    assert nodes >= 2 and edges >= nodes // 2, (nodes, edges)
    # A real path between two handles (an edge without handles to join is not drawn at all).
    expect(canvas_edges(page).first.locator("path").first).to_have_attribute("d", re.compile(r"^M\s*[\d.-]+"))
