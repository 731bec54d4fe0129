"""The chat against a real OpenAI-compatible HTTP server: a failed answer, Retry, then a graph."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.flows import (
    assistant_messages,
    canvas_edges,
    register,
    send,
    settled_node_boxes,
    wait_for_layout,
)
from tests.support.fake_openai import FakeOpenAI, Scripted
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.llm.prompt import EXAMPLE_ANSWER

QUESTION = "Every weekday at 9, summarise our open GitHub issues and post it to Slack"


def test_llm_error_then_retry_draws_the_graph(
    new_page: Callable[[], Page], llm_app_server: object, session_fake_openai: FakeOpenAI
) -> None:
    fake = session_fake_openai
    fake.script(Scripted(status=500, message="model overloaded"), json.dumps(EXAMPLE_ANSWER))
    page = new_page()
    register(page)
    expect(page.get_by_test_id("offline-badge")).to_have_count(0)

    send(page, QUESTION)
    retry = page.get_by_test_id("retry")
    expect(retry).to_be_visible(timeout=20_000)
    failure = assistant_messages(page).last
    expect(failure).to_contain_text("had a server error (HTTP 500): model overloaded")
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()

    retry.click()
    expect(retry).to_have_count(0, timeout=20_000)
    expect(assistant_messages(page)).to_have_count(1)
    expect(assistant_messages(page).last).to_contain_text("posts the summary to Slack")
    expect(assistant_messages(page).last.locator("code").first).to_have_text("GITHUB_TOKEN")
    expect(page.get_by_test_id("workflow-name")).to_have_text("Daily issue summary")
    wait_for_layout(page)
    assert len(settled_node_boxes(page, minimum=4)) == 4
    assert canvas_edges(page).count() == 3

    requests = fake.completion_requests()
    assert len(requests) == 2
    # The retry asks the same question again, without the failure notice in the history.
    for request in requests:
        turns = [m for m in request.body["messages"] if m["role"] != "system"]
        assert turns == [{"role": "user", "content": QUESTION}], turns
        assert request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    assert FAKE_API_KEY not in page.content()
