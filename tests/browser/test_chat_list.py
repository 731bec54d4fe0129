"""The chat list: inline rename (Enter saves, Esc cancels) and delete behind a confirmation."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.flows import register


def test_rename_and_delete_chats(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    rows = page.get_by_test_id("chat-row")
    page.get_by_test_id("new-chat").click()
    expect(rows).to_have_count(1)
    page.get_by_test_id("new-chat").click()
    expect(rows).to_have_count(2)

    newest = rows.first
    newest.hover()
    newest.get_by_role("button", name="Rename chat").click()
    title_input = page.get_by_role("textbox", name="Chat title")
    expect(title_input).to_be_focused()
    title_input.fill("Morning report")
    title_input.press("Enter")
    expect(title_input).to_have_count(0)
    expect(rows.first).to_contain_text("Morning report")
    expect(page.get_by_test_id("chat-title")).to_have_text("Morning report")

    rows.first.hover()
    rows.first.get_by_role("button", name="Rename chat").click()
    title_input.fill("Discarded title")
    title_input.press("Escape")
    expect(title_input).to_have_count(0)
    expect(rows.first).to_contain_text("Morning report")
    expect(page.get_by_text("Discarded title")).to_have_count(0)

    page.reload()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Morning report")

    dialog = page.get_by_role("alertdialog")
    rows.first.hover()
    rows.first.get_by_role("button", name="Delete chat").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Morning report")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(rows).to_have_count(2)

    rows.first.hover()
    rows.first.get_by_role("button", name="Delete chat").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(dialog).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(page.get_by_text("Morning report")).to_have_count(0)
    expect(rows.first).to_contain_text("New chat")

    page.reload()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("New chat")
