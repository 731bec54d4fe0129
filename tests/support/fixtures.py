"""Pytest fixtures for the LLM layer; load with `pytest_plugins = ["tests.support.fixtures"]`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from tests.support.fake_openai import FakeOpenAI
from workflow_chat.llm.settings import LLMSettings

# Looks like a real key so a leak would be easy to spot in any assertion output.
FAKE_API_KEY = "sk-test-0123456789abcdefSECRET"


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI-compatible server with an empty script; stopped after the test."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_settings(fake_openai: FakeOpenAI) -> LLMSettings:
    """Settings that point at `fake_openai`, with FAKE_API_KEY, a short timeout and no retries."""
    return LLMSettings(
        api_key=SecretStr(FAKE_API_KEY),
        base_url=fake_openai.base_url,
        model="fake-model",
        timeout_seconds=5,
        max_retries=0,
    )
