"""The composer: Enter sends, Shift+Enter adds a line, refused text stays where it was."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.flows import register, toasts, user_messages


def test_composer_keys_and_refusals(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    composer = page.locator("#composer")

    composer.fill("line one")
    composer.press("Shift+Enter")
    composer.press_sequentially("line two")
    expect(composer).to_have_value("line one\nline two")
    expect(user_messages(page)).to_have_count(0)

    composer.fill("   ")
    composer.press("Enter")
    expect(toasts(page).filter(has_text="Type a message first.")).to_be_visible()
    expect(user_messages(page)).to_have_count(0)

    too_long = "x" * 8001
    composer.fill(too_long)
    composer.press("Enter")
    expect(toasts(page).filter(has_text="That message is too long (8,001 characters")).to_be_visible()
    expect(composer).to_have_value(too_long)
    expect(user_messages(page)).to_have_count(0)
    expect(page.get_by_test_id("chat-row")).to_have_count(0)  # a refused first message makes no chat
