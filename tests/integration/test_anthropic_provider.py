"""The Anthropic provider (LLM_PROVIDER=anthropic) against a real local HTTP server speaking the
Messages API's streaming format. Kept apart: importing the Anthropic SDK alone takes seconds."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fake_openai import Scripted
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.graph import parse_workflow
from workflow_chat.llm.generate import generate_reply
from workflow_chat.llm.prompt import EXAMPLE_ANSWER, EXAMPLE_PATCH_ANSWER
from workflow_chat.llm.provider import LLMError
from workflow_chat.llm.settings import LLMSettings, load_llm_settings

ASK = [{"role": "user", "content": "Every weekday at 9, summarise open issues to Slack"}]


@pytest.fixture
def server():
    with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def settings(server: FakeAnthropic) -> LLMSettings:
    return load_llm_settings({"LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": FAKE_API_KEY,
                              "LLM_BASE_URL": server.base_url, "LLM_MODEL": "claude-test",
                              "LLM_MAX_RETRIES": "0"})


def test_answer_streams_as_a_forced_tool_call(server: FakeAnthropic, settings: LLMSettings) -> None:
    server.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), chunk_size=6))
    seen: list[str] = []
    reply = asyncio.run(generate_reply(ASK, settings=settings, on_text=seen.append))
    [request] = server.completion_requests()
    assert reply.text == EXAMPLE_ANSWER["message"] and reply.workflow is not None
    assert len(seen) > 3 and seen[-1] == reply.text
    body = request.body
    assert body["model"] == "claude-test" and body["stream"] is True
    assert body["tool_choice"] == {"type": "tool", "name": "answer"}
    assert body["tools"][0]["input_schema"]["properties"]["message"]["type"] == "string"
    assert body["system"].startswith("You design automation workflows")
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert FAKE_API_KEY not in request.raw_body
    # SDK 2.x sends the key as a Bearer token; older ones used x-api-key.
    auth = request.headers.get("x-api-key", request.headers.get("authorization", ""))
    assert FAKE_API_KEY in auth


def test_patch_and_errors(server: FakeAnthropic, settings: LLMSettings) -> None:
    current = parse_workflow(EXAMPLE_ANSWER["workflow"])
    server.script(json.dumps(EXAMPLE_PATCH_ANSWER),
                  Scripted(status=401, message=f"invalid x-api-key {FAKE_API_KEY}"))
    reply = asyncio.run(generate_reply(ASK, current=current, settings=settings))
    assert reply.result is not None and reply.result.changes.added == ("mail",)
    with pytest.raises(LLMError) as caught:
        asyncio.run(generate_reply(ASK, settings=settings))
    assert "rejected the API key" in caught.value.message
    assert "ANTHROPIC_API_KEY" in caught.value.message
    assert FAKE_API_KEY not in caught.value.message
