"""Projects in the browser: create a project with a system prompt, chat in it (the model gets the
prompt), add a secret, reload: the project, its chat and prompt are still there, the secret masked.

Saves tests/artifacts/project_picker.png and project_settings.png for a person to look at.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.flows import assistant_messages, register, send
from tests.support.fake_openai import FakeOpenAI
from workflow_chat.llm.prompt import EXAMPLE_ANSWER

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PROMPT = "Name every workflow after a bird (project prompt 5e1f)."
SECRET = "hooks-T000-B000-project-secret-77aa"


def _make_project(page: Page, name: str) -> None:
    page.get_by_test_id("new-project").click()
    page.get_by_test_id("new-project-name").fill(name)
    page.get_by_test_id("new-project-save").click()
    expect(page.get_by_test_id("new-project-dialog")).to_have_count(0)
    expect(page.get_by_test_id("project-picker")).to_have_text(name)


def _add_prompt(page: Page) -> None:
    page.get_by_test_id("open-project-settings").click()
    dialog = page.get_by_test_id("project-settings-dialog")
    expect(dialog.get_by_test_id("project-name")).to_have_value("Birds")
    expect(dialog.get_by_test_id("prompt-hint")).to_contain_text("offline planner")
    dialog.get_by_test_id("prompt-add").click()
    dialog.get_by_test_id("prompt-name").fill("   ")  # passes `required`, not the server
    dialog.get_by_test_id("prompt-text").fill(PROMPT)
    dialog.get_by_test_id("prompt-save").click()
    expect(dialog.get_by_test_id("prompt-error")).to_have_text("A prompt's name cannot be empty.")
    dialog.get_by_test_id("prompt-name").fill("Bird names")
    dialog.get_by_test_id("prompt-save").click()
    rows = dialog.get_by_test_id("prompt-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bird names")
    expect(rows.first.get_by_test_id("prompt-active")).to_have_text("Active")
    expect(dialog.get_by_test_id("prompt-error")).to_have_count(0)
    page.mouse.move(0, 899)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project_settings.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def _add_secret(page: Page) -> None:
    page.get_by_test_id("open-secrets").click()
    page.get_by_test_id("secret-add").click()
    page.get_by_test_id("secret-name").fill("BIRD_API_KEY")
    page.get_by_test_id("secret-value").fill(SECRET)
    page.get_by_test_id("secret-save").click()
    expect(page.get_by_test_id("secret-row")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("secrets-dialog")).to_have_count(0)


def test_a_project_with_a_prompt_its_chat_and_a_secret_survive_a_reload(
    new_page: Callable[[], Page], llm_app_server: object, session_fake_openai: FakeOpenAI
) -> None:
    session_fake_openai.script(json.dumps(EXAMPLE_ANSWER))
    page = new_page()
    register(page)
    picker = page.get_by_test_id("project-picker")
    expect(picker).to_have_text("All projects")

    _make_project(page, "Birds")
    _add_prompt(page)
    expect(page.get_by_test_id("chat-row")).to_have_count(0)  # Birds is empty so far

    send(page, "Summarise our GitHub issues every weekday")
    expect(assistant_messages(page)).to_have_count(1, timeout=30_000)
    expect(assistant_messages(page).first).to_contain_text("posts the summary to Slack")
    system = session_fake_openai.completion_requests()[-1].body["messages"][0]
    assert system["role"] == "system" and PROMPT in system["content"]
    expect(page.get_by_test_id("chat-row")).to_have_count(1)

    _add_secret(page)
    picker.click()
    expect(page.get_by_role("option", name="Birds")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "project_picker.png"))
    page.keyboard.press("Escape")

    page.reload()
    expect(picker).to_have_text("Birds")
    expect(page.get_by_test_id("chat-row")).to_have_count(1)
    expect(page.get_by_test_id("chat-title")).to_contain_text("Summarise our GitHub issues")
    page.get_by_test_id("open-project-settings").click()
    rows = page.get_by_test_id("prompt-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("prompt-active")).to_be_visible()
    page.keyboard.press("Escape")

    # Under "All projects" the chat is listed too; the default project is empty.
    picker.click()
    page.get_by_role("option", name="All projects").click()
    expect(picker).to_have_text("All projects")
    expect(page.get_by_test_id("chat-row")).to_have_count(1)
    picker.click()
    page.get_by_role("option", name="Default").click()
    expect(page.get_by_test_id("chat-row")).to_have_count(0)

    page.get_by_test_id("open-secrets").click()
    secret_row = page.get_by_test_id("secret-row")
    expect(secret_row).to_have_count(1)
    expect(secret_row.first).to_contain_text("BIRD_API_KEY")
    expect(secret_row.first.get_by_test_id("secret-mask")).to_have_text("••••")
    assert SECRET not in page.content()
    page.keyboard.press("Escape")

    # The default project cannot be deleted; Birds can, with its chat, after a confirmation.
    page.get_by_test_id("open-project-settings").click()
    dialog = page.get_by_test_id("project-settings-dialog")
    expect(dialog).to_contain_text("cannot be deleted")
    expect(dialog.get_by_test_id("project-delete")).to_have_count(0)
    dialog.get_by_test_id("settings-project").click()
    page.get_by_role("option", name="Birds").click()
    dialog.get_by_test_id("project-delete").click()
    expect(dialog).to_contain_text("with its 1 chat")
    dialog.get_by_test_id("project-delete-confirm").click()
    expect(dialog).to_have_count(0)
    expect(picker).to_have_text("Default")
    picker.click()
    expect(page.get_by_role("option", name="Birds")).to_have_count(0)
    page.get_by_role("option", name="All projects").click()
    expect(page.get_by_test_id("chat-row")).to_have_count(0)
