"""The Secrets dialog: add a secret (with an inline error first), see it masked after a reload,
replace it, delete it behind a confirmation; the value never comes back from the server."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, WebSocket, expect

from tests.browser.flows import register

VALUE = "hooks-T000-B000-very-secret-4f1a"
NEW_VALUE = "hooks-T000-B000-replaced-9c2e"


def _record_frames(page: Page, frames: list[str]) -> None:
    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)


def test_a_secret_is_added_shown_masked_after_reload_replaced_and_deleted(
    new_page: Callable[[], Page]
) -> None:
    page = new_page()
    received: list[str] = []  # everything the server sent this tab
    _record_frames(page, received)
    register(page)
    dialog = page.get_by_role("dialog")
    rows = page.get_by_test_id("secret-row")

    page.get_by_test_id("open-secrets").click()
    expect(dialog).to_contain_text("No secrets yet")
    page.get_by_test_id("secret-add").click()
    page.get_by_test_id("secret-name").fill("slack url")
    value_input = page.get_by_test_id("secret-value")
    expect(value_input).to_have_attribute("type", "password")
    value_input.fill(VALUE)
    page.get_by_test_id("secret-save").click()
    expect(page.get_by_test_id("secret-error")).to_contain_text("try SLACK_URL")
    page.get_by_test_id("secret-name").fill("SLACK_URL")
    page.get_by_test_id("secret-save").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SLACK_URL")
    expect(rows.first.get_by_test_id("secret-mask")).to_have_text("••••")
    expect(value_input).to_have_count(0)  # the form closed: its value field is gone
    expect(page.get_by_test_id("secret-error")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    page.reload()
    page.get_by_test_id("open-secrets").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SLACK_URL")
    expect(rows.first).to_contain_text("never used")
    expect(rows.first).not_to_contain_text("changed")
    expect(rows.first.get_by_test_id("secret-mask")).to_have_text("••••")
    assert VALUE not in page.content()

    rows.first.get_by_test_id("secret-replace").click()
    expect(dialog).to_contain_text("New value for SLACK_URL")
    value_input.fill(NEW_VALUE)
    value_input.press("Enter")
    expect(value_input).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("changed")
    assert NEW_VALUE not in page.content()

    rows.first.get_by_test_id("secret-delete").click()
    expect(rows.first).to_contain_text("Delete?")
    rows.first.get_by_role("button", name="Cancel").click()
    expect(rows).to_have_count(1)
    rows.first.get_by_test_id("secret-delete").click()
    page.get_by_test_id("secret-delete-confirm").click()
    expect(rows).to_have_count(0)
    expect(dialog).to_contain_text("No secrets yet")

    assert received, "no websocket frames were recorded"
    assert not [frame for frame in received if VALUE in frame or NEW_VALUE in frame]
