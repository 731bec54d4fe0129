"""The chat list: inline rename (Enter saves, Esc cancels), delete behind a confirmation, and
moving a chat to another project (saves tests/artifacts/move_chat_menu.png)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.flows import register, toasts

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


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


def test_a_chat_moves_to_another_project_from_its_row(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    rows, picker = page.get_by_test_id("chat-row"), page.get_by_test_id("project-picker")
    page.get_by_test_id("new-chat").click()
    page.get_by_test_id("new-chat").click()
    expect(rows).to_have_count(2)
    rows.first.hover()
    rows.first.get_by_role("button", name="Rename chat").click()
    page.get_by_role("textbox", name="Chat title").fill("Payslips")
    page.get_by_role("textbox", name="Chat title").press("Enter")
    expect(rows.first).to_contain_text("Payslips")

    page.get_by_test_id("new-project").click()
    page.get_by_test_id("new-project-name").fill("Work")
    page.get_by_test_id("new-project-save").click()
    expect(picker).to_have_text("Work")
    expect(rows).to_have_count(0)
    picker.click()
    page.get_by_role("option", name="Default").click()
    expect(rows).to_have_count(2)

    rows.first.hover()
    rows.first.get_by_role("button", name="Move to project…").click()
    menu = page.get_by_test_id("move-menu")
    expect(menu.get_by_role("menuitem", name="Default")).to_be_disabled()  # where it is now
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "move_chat_menu.png"))  # for a person to look at
    menu.get_by_role("menuitem", name="Work").click()
    expect(toasts(page).filter(has_text="Moved to Work")).to_be_visible()
    expect(rows).to_have_count(1)  # it left the filtered list
    expect(page.get_by_text("Payslips")).to_have_count(0)

    page.reload()
    expect(picker).to_have_text("Default")
    expect(rows).to_have_count(1)
    picker.click()
    page.get_by_role("option", name="Work").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Payslips")
