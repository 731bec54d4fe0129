"""The product's core loop in Chromium, against the real app: sign up, chat, see the workflow."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

from tests.browser.flows import (
    LOGIN_URL,
    Box,
    REQUEST,
    assert_no_overlap,
    assistant_messages,
    ask_for_workflow,
    canvas_edges,
    canvas_nodes,
    expect_workspace,
    log_in,
    log_out,
    register,
    settled_node_boxes,
    user_messages,
)

if TYPE_CHECKING:
    from tests.browser.conftest import AppServer


def _saved_positions(
    server: AppServer, username: str, chat_title: str
) -> dict[str, tuple[float, float]]:
    """Node positions of the user's chat's latest stored version, read straight from SQLite
    (other tests on the same server may have a chat of the same title)."""
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT v.graph FROM workflow_versions v JOIN chats c ON c.id = v.chat_id "
            "JOIN users u ON u.id = c.user_id WHERE u.username = ? AND c.title = ? "
            "ORDER BY v.number DESC LIMIT 1", (username, chat_title)
        ).fetchone()
    assert row, f"no stored workflow for chat {chat_title!r}"
    graph = json.loads(row[0])
    return {n["id"]: (n["position"]["x"], n["position"]["y"]) for n in graph["nodes"]}


def _wait_for_saved_layout(
    server: AppServer, username: str, chat_title: str
) -> dict[str, tuple[float, float]]:
    """The auto-layout's positions once stored: every node on its own, not all at the origin."""
    deadline = time.monotonic() + 10
    positions: dict[str, tuple[float, float]] = {}
    while time.monotonic() < deadline:
        positions = _saved_positions(server, username, chat_title)
        if len(set(positions.values())) == len(positions) and any(positions.values()):
            return positions
        time.sleep(0.2)
    raise AssertionError(f"layout positions were not stored: {positions}")


def test_core_loop(new_page: Callable[[], Page], app_server: AppServer) -> None:
    page = new_page()
    username = register(page)
    log_out(page)
    log_in(page, username)
    expect_workspace(page, username)
    expect(page.get_by_test_id("offline-badge")).to_be_visible()
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()

    page.get_by_test_id("new-chat").click()
    expect(page.get_by_test_id("chat-row")).to_have_count(1)
    expect(page.locator("#composer")).to_be_focused()

    boxes = ask_for_workflow(page)
    reply = assistant_messages(page).last
    expect(reply.locator(".markdown li").first).to_be_visible()
    expect(user_messages(page)).to_have_count(1)
    expect(user_messages(page).first).to_have_text(REQUEST)
    assert len(boxes) >= 3, boxes
    assert canvas_edges(page).count() >= 2
    assert_no_overlap(boxes)

    title = page.get_by_test_id("chat-title").inner_text()
    assert title and title != "New conversation"
    rows = page.get_by_test_id("chat-row")
    expect(rows.first).to_contain_text(title)
    stored = _wait_for_saved_layout(app_server, username, title)
    assert set(stored) == set(boxes)
    messages_before = [m.inner_text() for m in page.locator(".message").all()]

    # A newer, empty chat on top; then back to the first one, which a reload must keep open.
    page.get_by_test_id("new-chat").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()
    rows.nth(1).click()
    expect(page.get_by_test_id("chat-title")).to_have_text(title)
    boxes = settled_node_boxes(page, minimum=len(boxes))

    page.reload()
    expect_workspace(page, username)
    expect(page.get_by_test_id("chat-title")).to_have_text(title)
    expect(page.locator(".message")).to_have_count(len(messages_before))
    assert [m.inner_text() for m in page.locator(".message").all()] == messages_before
    after = settled_node_boxes(page, minimum=len(boxes))
    assert set(after) == set(boxes)
    for node_id, box in boxes.items():
        moved = after[node_id]
        assert abs(moved.x - box.x) < 6 and abs(moved.y - box.y) < 6, (node_id, box, moved)
    assert _saved_positions(app_server, username, title) == stored, "a reload must not lay the graph out again"

    # A drag is stored too: the moved node stays where it was put, in a new session.
    first, second = sorted(after, key=lambda n: after[n].y)[:2]
    _drag(page, after[second], dx=220)
    deadline = time.monotonic() + 10
    while _saved_positions(app_server, username, title)[second] == stored[second]:
        assert time.monotonic() < deadline, "the dragged position was not stored"
        time.sleep(0.2)

    again = new_page()
    log_in(again, username)
    expect_workspace(again, username)
    again.get_by_test_id("chat-row").filter(has_text=title).click()
    expect(again.get_by_test_id("chat-title")).to_have_text(title)
    expect(again.locator(".message")).to_have_count(len(messages_before))
    fresh = settled_node_boxes(again, minimum=len(boxes))
    assert set(fresh) == set(boxes)
    assert fresh[second].x - fresh[first].x > 80, (fresh[first], fresh[second])
    assert_no_overlap(fresh)

    other = new_page()
    register(other)
    expect(other.get_by_test_id("chat-row")).to_have_count(0)
    expect(other.get_by_test_id("canvas-empty")).to_be_visible()
    expect(canvas_nodes(other)).to_have_count(0)
    expect(other.get_by_text(title)).to_have_count(0)
    log_out(other)
    other.goto("/")
    expect(other).to_have_url(LOGIN_URL)
    expect(other.locator("#login")).to_be_visible()


def _drag(page: Page, box: Box, dx: float) -> None:
    x, y = box.x + box.width / 2, box.y + box.height / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=5)
    page.mouse.move(x + dx, y, steps=5)
    page.mouse.up()
