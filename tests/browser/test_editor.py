"""Editing the workflow on the canvas in Chromium: add from the palette (menu and drag-and-drop),
connect handles, delete with the keyboard, undo, reload; refused edits; one update per drag."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page, WebSocket, expect

from tests.browser.flows import (
    ask_for_workflow,
    canvas_edges,
    canvas_nodes,
    register,
    settled_node_boxes,
    toasts,
)

if TYPE_CHECKING:
    from tests.browser.conftest import AppServer


def _node(page: Page, node_id: str) -> Locator:
    return page.locator(f"[data-testid=canvas] .react-flow__node[data-id='{node_id}']")


def _handle(page: Page, node_id: str, kind: str) -> Locator:
    return _node(page, node_id).locator(f".react-flow__handle.{kind}")


def _drag(page: Page, start: Locator, end: Locator, steps: int = 12) -> None:
    """Press on the middle of `start`, move to the middle of `end` in steps, release."""
    a, b = start.bounding_box(), end.bounding_box()
    assert a and b
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=steps)
    page.mouse.up()


def _stored(server: AppServer, username: str) -> list[dict]:
    """The user's stored graphs, oldest version first, straight from SQLite."""
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT v.graph FROM workflow_versions v JOIN chats c ON c.id = v.chat_id "
            "JOIN users u ON u.id = c.user_id WHERE u.username = ? ORDER BY v.id", (username,)
        ).fetchall()
    return [json.loads(r[0]) for r in rows]


def test_edit_on_the_canvas_then_undo_and_reload(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    start = ask_for_workflow(page)  # trigger → fetch → summarise → email
    count, edges = len(start), canvas_edges(page).count()

    # The menu appends after the last step when nothing is selected.
    page.get_by_test_id("add-step").click()
    page.get_by_test_id("add-slack").click()
    expect(_node(page, "slack")).to_be_visible()
    expect(canvas_edges(page)).to_have_count(edges + 1)
    expect(page.get_by_test_id("versions")).to_contain_text("v2")

    # Drag-and-drop from the palette: the step lands under the pointer.
    pane = page.locator("[data-testid=canvas] .react-flow__pane")
    size = pane.bounding_box()
    assert size
    page.get_by_test_id("palette-delay").drag_to(
        pane, target_position={"x": size["width"] * 0.78, "y": size["height"] * 0.4})
    expect(_node(page, "delay")).to_be_visible()
    dropped = _node(page, "delay").bounding_box()
    assert dropped and abs(dropped["x"] + dropped["width"] / 2 - (size["x"] + size["width"] * 0.78)) < 30
    expect(canvas_edges(page)).to_have_count(edges + 2)
    settled_node_boxes(page, minimum=count + 2)

    # Connect the new step to Slack by dragging from its source handle to Slack's target.
    _drag(page, _handle(page, "delay", "source"), _handle(page, "slack", "target"))
    expect(canvas_edges(page)).to_have_count(edges + 3)
    expect(page.locator("[data-testid=canvas] .react-flow__edge[data-id]")).to_have_count(edges + 3)

    # Delete with the keyboard: never while typing in a field, then on the canvas.
    _node(page, "summarise").click()
    page.locator("#composer").fill("ab")
    page.locator("#composer").press("Backspace")
    expect(canvas_nodes(page)).to_have_count(count + 2)
    _node(page, "summarise").click()
    page.keyboard.press("Delete")
    expect(_node(page, "summarise")).to_have_count(0)
    expect(canvas_nodes(page)).to_have_count(count + 1)

    page.keyboard.press("Control+z")
    expect(_node(page, "summarise")).to_be_visible()
    expect(canvas_nodes(page)).to_have_count(count + 2)
    edited_edges = canvas_edges(page).count()

    # A connection that would make a loop is refused with the reason; nothing changes.
    version = page.get_by_test_id("versions").inner_text()
    _drag(page, _handle(page, "email", "source"), _handle(page, "fetch", "target"))
    expect(toasts(page).filter(has_text="cycle")).to_have_count(1)
    expect(canvas_edges(page)).to_have_count(edited_edges)
    expect(page.get_by_test_id("versions")).to_have_text(version)

    page.reload()
    expect(canvas_nodes(page)).to_have_count(count + 2, timeout=20_000)
    expect(canvas_edges(page)).to_have_count(edited_edges)
    for node_id in ("slack", "delay", "summarise"):
        expect(_node(page, node_id)).to_be_visible()


def test_dragging_a_node_sends_one_update(new_page: Callable[[], Page],
                                          app_server: AppServer) -> None:
    page = new_page()
    sent: list[str] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda frame: sent.append(frame if isinstance(frame, str) else ""))

    page.on("websocket", watch)
    username = register(page)
    ask_for_workflow(page)
    before = _stored(app_server, username)
    assert len(before) == 1  # the auto-layout was saved in place, not as a version
    email = _node(page, "email").bounding_box()
    assert email
    sent.clear()
    page.mouse.move(email["x"] + 60, email["y"] + 20)
    page.mouse.down()
    for step in range(1, 21):  # twenty moves, one drag
        page.mouse.move(email["x"] + 60 + step * 6, email["y"] + 20 + step * 3)
    page.mouse.up()
    expect(page.get_by_test_id("versions")).to_contain_text("v2")
    time.sleep(0.5)
    moves = [f for f in sent if "editor_state.move" in f]
    assert len(moves) == 1, moves
    after = _stored(app_server, username)
    assert len(after) == 2
    moved = {n["id"]: n["position"] for n in after[-1]["nodes"]}
    old = {n["id"]: n["position"] for n in before[-1]["nodes"]}
    assert moved["email"]["x"] > old["email"]["x"] + 60
    assert all(moved[i] == old[i] for i in old if i != "email")

    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
