"""A 1440x900 picture of the workspace with a generated graph, for a person to look at.

Saved as tests/artifacts/workspace.png (gitignored). The test also checks what a picture
would show at a glance: the three panes side by side, nothing wider than the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.flows import ask_for_workflow, register

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_workspace_screenshot(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page, "ada.lovelace")
    page.get_by_test_id("new-chat").click()
    ask_for_workflow(page)
    page.mouse.move(0, 899)  # no hover highlight or tooltip in the picture

    widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    panes = [page.get_by_test_id(p).bounding_box() for p in ("pane-chats", "pane-chat", "pane-canvas")]
    assert all(panes), panes
    assert panes[0]["x"] < panes[1]["x"] < panes[2]["x"]
    assert panes[2]["x"] + panes[2]["width"] <= 1440 + 1

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workspace.png"))
