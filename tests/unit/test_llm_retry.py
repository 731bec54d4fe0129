"""Retry policy and the settings that steer the provider."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest

from workflow_chat.llm.errors import LLMError, retry_after_seconds
from workflow_chat.llm.retry import MAX_SINGLE_WAIT_SECONDS, backoff_seconds, with_retries
from workflow_chat.llm.settings import LLMSettingsInvalid, load_llm_settings


def test_retry_after_in_seconds_milliseconds_and_http_dates() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    now = 1_700_000_000.0
    assert retry_after_seconds({"retry-after": formatdate(now + 12, usegmt=True)}, now=now) == 12
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_backoff_grows_with_jitter_and_honours_the_server() -> None:
    assert 0.5 <= backoff_seconds(0, None) <= 1.0 and 1.0 <= backoff_seconds(1, None) <= 2.0
    assert 4 <= backoff_seconds(5, 4) <= 4.4


def test_only_retryable_errors_are_retried_and_long_waits_are_refused() -> None:
    calls: list[int] = []

    async def failing(error: LLMError) -> None:
        calls.append(1)
        raise error

    for error, expected in [
        (LLMError("bad request", status=400), 1),
        (LLMError("busy", status=503, retryable=True, retry_after=0), 3),
        (LLMError("wait", status=429, retryable=True, retry_after=MAX_SINGLE_WAIT_SECONDS + 1), 1),
    ]:
        calls.clear()
        with pytest.raises(LLMError):
            asyncio.run(with_retries(lambda: failing(error), max_retries=2))
        assert len(calls) == expected, error.message


def test_provider_and_structured_output_settings() -> None:
    openai = load_llm_settings({"OPENAI_API_KEY": "k"})
    assert openai.json_schema_output and openai.max_retries == 2
    local = load_llm_settings({"LLM_BASE_URL": "http://localhost:11434/v1"})
    assert not local.json_schema_output
    forced = load_llm_settings(
        {"LLM_BASE_URL": "http://x/v1", "LLM_STRUCTURED_OUTPUT": "JSON_SCHEMA"}
    )
    assert forced.json_schema_output
    claude = load_llm_settings({"LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "a",
                                "OPENAI_API_KEY": "o", "OPENAI_BASE_URL": "http://ignored"})
    assert claude.api_key is not None and claude.api_key.get_secret_value() == "a"
    assert claude.base_url is None
    assert claude.host == "api.anthropic.com" and claude.model.startswith("claude")
    assert not claude.json_schema_output and "ANTHROPIC_API_KEY" in claude.key_variable
    with pytest.raises(LLMSettingsInvalid, match="LLM_PROVIDER"):
        load_llm_settings({"LLM_PROVIDER": "gemini"})
    with pytest.raises(LLMSettingsInvalid, match="LLM_STRUCTURED_OUTPUT"):
        load_llm_settings({"LLM_STRUCTURED_OUTPUT": "yaml"})
