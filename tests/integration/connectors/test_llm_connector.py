"""The llm connector against real local OpenAI- and Anthropic-compatible servers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fake_openai import FakeOpenAI, Scripted
from tests.support.fixtures import FAKE_API_KEY, fake_openai  # noqa: F401
from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.nodes import llm
from workflow_chat.nodes.llm import Config, match_label

_LLM_VARIABLES = ("LLM_PROVIDER", "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL",
                  "LLM_TIMEOUT_SECONDS", "LLM_MAX_RETRIES", "LLM_STRUCTURED_OUTPUT",
                  "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY")
CTX = RunContext("run-3", "ask", outputs={"fetch": {"body": "Server down since 9:00"}})


@pytest.fixture
def no_llm_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _LLM_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def openai_env(no_llm_env: pytest.MonkeyPatch, fake_openai: FakeOpenAI) -> FakeOpenAI:
    no_llm_env.setenv("LLM_BASE_URL", fake_openai.base_url)
    no_llm_env.setenv("LLM_API_KEY", FAKE_API_KEY)
    no_llm_env.setenv("LLM_MODEL", "fake-model")
    no_llm_env.setenv("LLM_TIMEOUT_SECONDS", "5")
    return fake_openai


def _run(config: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(llm.run(Config.model_validate(config), CTX))


def _fails(config: dict[str, Any]) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        _run(config)
    assert FAKE_API_KEY not in caught.value.message
    return caught.value


def test_generate_sends_the_rendered_prompt_and_input(openai_env: FakeOpenAI) -> None:
    openai_env.script("  Call the on-call engineer.\n")
    output = _run({"prompt": "What should we do?", "input": "{{ nodes.fetch.output.body }}"})
    assert output == {"text": "Call the on-call engineer."}
    (request,) = openai_env.completion_requests()
    assert request.body["model"] == "fake-model"
    assert not request.body.get("stream")
    system, user = request.body["messages"]
    assert system["role"] == "system" and "automated workflow" in system["content"]
    assert user == {"role": "user",
                    "content": "What should we do?\n\nInput:\nServer down since 9:00"}
    assert request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"


def test_the_node_may_pick_its_own_model(openai_env: FakeOpenAI) -> None:
    openai_env.script("ok")
    _run({"operation": "summarise", "prompt": "", "input": "text", "model": "other-model"})
    (request,) = openai_env.completion_requests()
    assert request.body["model"] == "other-model"
    assert "Summarise" in request.body["messages"][0]["content"]
    assert request.body["messages"][1]["content"] == "text"


def test_translate_names_the_language(openai_env: FakeOpenAI) -> None:
    openai_env.script("Bonjour")
    assert _run({"operation": "translate", "prompt": "", "input": "Hello",
                 "target_language": "French"}) == {"text": "Bonjour"}
    assert "into French" in openai_env.completion_requests()[0].body["messages"][0]["content"]


def test_classify_returns_one_of_the_labels(openai_env: FakeOpenAI) -> None:
    openai_env.script("Urgent.")
    output = _run({"operation": "classify", "prompt": "How urgent?", "input": "x",
                   "labels": ["urgent", "normal"]})
    assert output == {"text": "urgent", "label": "urgent"}
    assert "urgent, normal" in openai_env.completion_requests()[0].body["messages"][0]["content"]


def test_classify_answers_outside_the_labels_may_be_retried(openai_env: FakeOpenAI) -> None:
    openai_env.script("I cannot tell")
    error = _fails({"operation": "classify", "prompt": "p", "labels": ["urgent", "normal"]})
    assert error.retryable and "none of the labels urgent, normal" in error.message


@pytest.mark.parametrize(("answer", "label"), [
    ("not urgent", "not urgent"), ("This is NOT URGENT at all", "not urgent"),
    ('"urgent"', "urgent"), ("**Urgent**", "urgent"), ("maybe", None),
])
def test_match_label(answer: str, label: str | None) -> None:
    assert match_label(answer, ["urgent", "not urgent"]) == label


@pytest.mark.parametrize(("config", "field"), [
    ({"operation": "classify", "prompt": "p"}, "labels"),
    ({"prompt": " ", "input": "{{ '' }}"}, "prompt"),
    ({"operation": "translate", "prompt": "p"}, "target_language"),
])
def test_incomplete_configs_fail_before_asking(
    openai_env: FakeOpenAI, config: dict[str, Any], field: str
) -> None:
    error = _fails(config)
    assert not error.retryable and error.message.startswith(f"{field}: ")
    assert openai_env.completion_requests() == []


def test_rate_limits_are_retryable_with_the_wait_asked(openai_env: FakeOpenAI) -> None:
    openai_env.script(Scripted(status=429, message="slow", headers={"Retry-After": "4"}))
    error = _fails({"prompt": "p"})
    assert error.retryable and error.retry_after == 4


def test_server_errors_are_retryable(openai_env: FakeOpenAI) -> None:
    openai_env.script(Scripted(status=502, message="bad gateway"))
    assert _fails({"prompt": "p"}).retryable


def test_a_rejected_key_is_final_and_never_quoted(openai_env: FakeOpenAI) -> None:
    openai_env.script(Scripted(status=401, message=f"Incorrect API key provided: {FAKE_API_KEY}"))
    error = _fails({"prompt": "p"})
    assert not error.retryable and "HTTP 401" in error.message


def test_a_timeout_is_retryable(openai_env: FakeOpenAI, no_llm_env: pytest.MonkeyPatch) -> None:
    no_llm_env.setenv("LLM_TIMEOUT_SECONDS", "0.1")
    openai_env.script(Scripted(content="late", delay=1.0))
    error = _fails({"prompt": "p"})
    assert error.retryable and "did not answer within 0.1 s" in error.message


def test_an_answer_cut_at_the_token_limit_is_an_error(openai_env: FakeOpenAI) -> None:
    openai_env.script(Scripted(content="half an ans", finish_reason="length"))
    assert "cut off" in _fails({"prompt": "p"}).message


def test_without_a_configured_model_it_says_so(no_llm_env: pytest.MonkeyPatch) -> None:
    error = _fails({"prompt": "p"})
    assert not error.retryable and error.message.startswith("no LLM is configured")


def test_template_errors_name_the_field(openai_env: FakeOpenAI) -> None:
    error = _fails({"prompt": "p", "input": "{{ nodes.fetch.output.bodyy }}"})
    assert error.message.startswith("input: unknown name: nodes.fetch.output has no 'bodyy'")


def test_the_anthropic_provider_works_too(no_llm_env: pytest.MonkeyPatch) -> None:
    with FakeAnthropic() as server:
        no_llm_env.setenv("LLM_PROVIDER", "anthropic")
        no_llm_env.setenv("LLM_BASE_URL", server.base_url)
        no_llm_env.setenv("LLM_API_KEY", FAKE_API_KEY)
        server.script(Scripted(content="Short summary.", chunk_size=4))
        assert _run({"operation": "summarise", "prompt": "", "input": "long"}) == {
            "text": "Short summary."}
        (request,) = server.completion_requests()
        assert "Summarise" in request.body["system"]
        assert request.body["messages"] == [{"role": "user", "content": "long"}]
        assert "tools" not in request.body
