"""The inspector in Chromium: click a step, edit its settings, see errors inline, keep the edit."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.flows import ask_for_workflow, canvas_nodes, register


def test_edit_a_step_in_the_inspector_and_keep_it_after_reload(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    ask_for_workflow(page)
    canvas_nodes(page).filter(has_text="Fetch").first.click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_be_visible()
    url = page.get_by_test_id("field-url")
    expect(url).to_have_value("https://example.com/api/items")

    url.fill("ftp://nope")
    expect(inspector.get_by_test_id("field-error")).to_contain_text("http")
    url.fill("https://example.com/api/orders")
    expect(inspector.get_by_test_id("field-error")).to_have_count(0)
    expect(canvas_nodes(page).filter(has_text="api/orders")).to_have_count(1, timeout=10_000)
    expect(page.get_by_test_id("versions")).to_contain_text("v2")

    page.keyboard.press("Escape")
    expect(inspector).to_have_count(0)
    page.reload()
    expect(canvas_nodes(page).filter(has_text="api/orders")).to_have_count(1, timeout=20_000)

    canvas_nodes(page).first.click()
    expect(page.get_by_test_id("inspector")).to_be_visible()
    expect(page.get_by_test_id("cron-preview")).to_contain_text("08:00")
