"""The settings page in Chromium: change the password and log in with the new one, save an own
model with a key that is masked after a reload and never sent back, a dark theme that
survives a reload and follows the user to another browser, and "Log out other sessions",
which signs that other browser out and keeps this one in.

Saves tests/artifacts/settings.png (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, WebSocket, expect

from tests.browser.flows import LOGIN_URL, PASSWORD, expect_workspace, form_error, log_in, log_out, register

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SETTINGS_URL = re.compile(r"/settings/?$")
NEW_PASSWORD = "a fresh passphrase 7"
API_KEY = "sk-browser-test-0123456789SECRET"


def _open_settings(page: Page) -> None:
    page.get_by_test_id("open-settings").click()
    expect(page).to_have_url(SETTINGS_URL)
    expect(page.get_by_test_id("profile-section")).to_be_visible()


def _record_frames(page: Page, frames: list[str]) -> None:
    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)


def test_change_password_then_log_in_with_the_new_one(new_page: Callable[[], Page]) -> None:
    page = new_page()
    received: list[str] = []
    _record_frames(page, received)
    username = register(page)
    _open_settings(page)
    expect(page.locator("#username")).to_have_value(username)
    expect(page.locator("#email")).to_have_value(f"{username}@example.com")

    page.locator("#current_password").fill("not my password")
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#confirm_password").fill(NEW_PASSWORD)
    page.get_by_test_id("change-password").click()
    expect(page.get_by_test_id("password-error")).to_have_text("Your current password is not right.")

    page.locator("#current_password").fill(PASSWORD)
    page.get_by_test_id("change-password").click()
    expect(page.get_by_text("Password changed")).to_be_visible()
    expect(page.get_by_test_id("password-error")).to_have_count(0)
    expect(page.locator("#new_password")).to_have_value("")

    # An own model with a key: masked once saved, and still masked after a reload.
    page.get_by_test_id("llm-provider").click()
    page.get_by_role("option", name=re.compile("OpenAI")).click()
    page.get_by_test_id("llm-model").fill("gpt-4o")
    page.get_by_test_id("llm-api-key").fill(API_KEY)
    page.get_by_test_id("save-llm").click()
    expect(page.get_by_test_id("llm-key-saved")).to_be_visible()
    expect(page.get_by_test_id("llm-api-key")).to_have_value("")
    page.reload()
    expect(page.get_by_test_id("llm-key-saved")).to_be_visible()
    expect(page.get_by_test_id("llm-model")).to_have_value("gpt-4o")
    expect(page.get_by_test_id("llm-api-key")).to_have_value("")
    assert API_KEY not in page.content()
    assert not [frame for frame in received if API_KEY in frame or NEW_PASSWORD in frame]

    # The page scrolls (html and body do not): its last section can be scrolled to.
    page.get_by_test_id("settings-page").evaluate("box => box.scrollTo(0, box.scrollHeight)")
    expect(page.get_by_test_id("theme-section")).to_be_in_viewport()
    page.mouse.move(0, 899)  # no hover highlight in the picture
    page.set_viewport_size({"width": 1440, "height": 1800})  # the whole page in one picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "settings.png"))
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_test_id("back-to-workspace").click()
    expect_workspace(page, username)
    log_out(page)
    log_in(page, username)  # the old password
    expect(form_error(page)).to_have_text("Wrong username/email or password.")
    expect(page).to_have_url(LOGIN_URL)
    log_in(page, username, NEW_PASSWORD)
    expect_workspace(page, username)


def test_dark_theme_stays_after_reload_and_in_another_browser(new_page: Callable[[], Page]) -> None:
    page = new_page()
    html = page.locator("html")
    username = register(page)
    _open_settings(page)
    page.get_by_test_id("theme-dark").click()
    expect(html).to_have_class(re.compile(r"\bdark\b"))
    page.reload()
    expect(page.get_by_test_id("theme-section")).to_be_visible()
    expect(html).to_have_class(re.compile(r"\bdark\b"))
    page.mouse.move(0, 899)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "settings-dark.png"))

    elsewhere = new_page()  # its own localStorage: only the account remembers the theme
    log_in(elsewhere, username)
    expect_workspace(elsewhere, username)
    expect(elsewhere.locator("html")).to_have_class(re.compile(r"\bdark\b"))

    page.get_by_test_id("theme-light").click()
    expect(html).to_have_class(re.compile(r"\blight\b"))

    # Tokens are cut off at whole seconds: make sure the other browser signed in before this one.
    page.wait_for_timeout(1100)
    page.get_by_test_id("log-out-others").click()
    expect(page.get_by_text("Other sessions are logged out")).to_be_visible()
    elsewhere.reload()
    expect(elsewhere).to_have_url(LOGIN_URL)
    page.reload()  # this browser got a fresh token and stays in
    expect(page.get_by_test_id("theme-section")).to_be_visible()
    expect(page).to_have_url(SETTINGS_URL)
