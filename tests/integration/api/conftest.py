"""Fixtures for the REST API tests: FastAPI's TestClient on the real app over the test's
database (SQLite and PostgreSQL, from tests/conftest.py), and signed-in users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.api_users import Caller, sign_in
from workflow_chat.api.app import api

LLM_VARIABLES = ("LLM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "LLM_BASE_URL",
                 "OPENAI_BASE_URL", "LLM_PROVIDER")


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The API on a fresh database; no LLM key, so the offline planner answers."""
    for name in LLM_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with TestClient(api) as test_client:
        yield test_client


@pytest.fixture
def alice(client: TestClient) -> Caller:
    return sign_in("alice")


@pytest.fixture
def bob(client: TestClient) -> Caller:
    return sign_in("bob")
