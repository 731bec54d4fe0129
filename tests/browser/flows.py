"""Steps the browser tests share: sign-up, log-in, sending a message, reading the canvas."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

PASSWORD = "correct horse 42"
REQUEST = "every morning at 8 fetch https://example.com/api/items and email me a summary"
WORKSPACE_URL = re.compile(r"^[^?#]*://[^/]+/(\?.*)?$")
LOGIN_URL = re.compile(r"/login/?(\?.*)?$")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.width and other.x < self.x + self.width
                and self.y < other.y + other.height and other.y < self.y + self.height)


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def form_error(page: Page) -> Locator:
    return page.get_by_test_id("form-error")


def toasts(page: Page) -> Locator:
    return page.locator("[data-sonner-toast]")


def open_page(page: Page, path: str) -> None:
    """Go to `path` and wait until React has hydrated it, so a click is not lost.

    The served HTML is pre-rendered: its buttons exist before React attaches handlers (React
    then marks each element with a __reactProps$... key). Under the Vite dev server that gap
    lasts seconds on a page's first visit.
    """
    page.goto(path)
    page.wait_for_function(
        """() => [...document.querySelectorAll('button')].some(
               (el) => Object.keys(el).some((k) => k.startsWith('__reactProps')))"""
    )


def fill_registration(page: Page, username: str, password: str, confirm: str | None = None,
                      email: str | None = None) -> None:
    open_page(page, "/register")
    page.locator("#username").fill(username)
    page.locator("#email").fill(email or f"{username}@example.com")
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password if confirm is None else confirm)
    page.get_by_role("button", name="Create account").click()


def register(page: Page, username: str | None = None, password: str = PASSWORD) -> str:
    """Sign up a new user and wait for the workspace; returns the username."""
    username = username or unique_name()
    fill_registration(page, username, password)
    expect_workspace(page, username)
    return username


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    open_page(page, "/login")
    page.locator("#login").fill(login)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Log in").click()


def expect_workspace(page: Page, username: str) -> None:
    expect(page).to_have_url(WORKSPACE_URL)
    expect(page.get_by_test_id("username")).to_have_text(username)


def log_out(page: Page) -> None:
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(LOGIN_URL)


def send(page: Page, text: str) -> None:
    """Type into the composer and press Enter (which sends)."""
    composer = page.locator("#composer")
    composer.fill(text)
    composer.press("Enter")


def assistant_messages(page: Page) -> Locator:
    return page.locator(".assistant-message")


def user_messages(page: Page) -> Locator:
    return page.locator(".user-message")


def canvas_nodes(page: Page) -> Locator:
    return page.locator("[data-testid=canvas] .react-flow__node")


def canvas_edges(page: Page) -> Locator:
    return page.locator("[data-testid=canvas] .react-flow__edge")


def node_boxes(page: Page) -> dict[str, Box]:
    """Each node's on-screen box, by React Flow node id."""
    boxes = {}
    for node in canvas_nodes(page).all():
        box = node.bounding_box()
        assert box is not None, "a node is not rendered"
        boxes[node.get_attribute("data-id") or ""] = Box(**box)
    return boxes


def settled_node_boxes(page: Page, minimum: int, timeout: float = 20.0) -> dict[str, Box]:
    """Node boxes once at least `minimum` nodes exist and nothing has moved for 600 ms.

    Auto-layout moves the nodes once, then fitView animates for 250 ms: wait for both.
    """
    deadline = time.monotonic() + timeout
    previous: dict[str, Box] | None = None
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        boxes = node_boxes(page)
        if len(boxes) >= minimum and boxes == previous:
            if time.monotonic() - stable_since >= 0.6:
                return boxes
        else:
            previous, stable_since = boxes, time.monotonic()
        page.wait_for_timeout(100)
    raise AssertionError(f"canvas did not settle with >= {minimum} nodes: {previous}")


def assert_no_overlap(boxes: dict[str, Box]) -> None:
    ids = sorted(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert not boxes[a].overlaps(boxes[b]), f"nodes {a} and {b} overlap: {boxes[a]} {boxes[b]}"


def wait_for_layout(page: Page) -> None:
    """The canvas has run elk once in this tab (the JSX records the time it took)."""
    page.wait_for_function("() => window.__wfcLastLayoutMs !== undefined", timeout=20_000)


def ask_for_workflow(page: Page, text: str = REQUEST) -> dict[str, Box]:
    """Send `text`, wait for the answer and a laid-out graph; returns the settled node boxes."""
    before = assistant_messages(page).count()
    send(page, text)
    expect(assistant_messages(page)).to_have_count(before + 1, timeout=30_000)
    expect(page.get_by_test_id("typing")).to_have_count(0)
    expect(page.get_by_test_id("canvas")).to_be_visible()
    wait_for_layout(page)
    return settled_node_boxes(page, minimum=3)
