"""Secrets: only WFC_SECRET_* names resolve, and redact() hides every value handed out."""

from __future__ import annotations

import pytest

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import MASK, Secrets, redact_error
from workflow_chat.engine.templating import render

ENV = {"WFC_SECRET_API_TOKEN": "tok-123/abc", "WFC_SECRET_EMPTY": "", "DATABASE_URL": "pg://x",
       "JWT_SECRET": "jwt-value", "WFC_SECRET_SHORT": "tok"}


def test_a_name_resolves_from_its_prefixed_variable() -> None:
    assert Secrets(ENV).get("API_TOKEN") == "tok-123/abc"


@pytest.mark.parametrize("name", ["DATABASE_URL", "JWT_SECRET"])
def test_other_environment_variables_are_unreachable(name: str) -> None:
    with pytest.raises(ConnectorError) as caught:
        Secrets(ENV).get(name)
    assert caught.value.message.startswith(f"secret {name} is not set")
    assert not caught.value.retryable
    assert "pg://x" not in caught.value.message and "jwt-value" not in caught.value.message


def test_templates_cannot_reach_other_environment_variables(monkeypatch) -> None:
    monkeypatch.setenv("JWT_SECRET", "jwt-value")
    ctx = RunContext("run1", "n", secrets=Secrets())
    with pytest.raises(ConnectorError, match="secret JWT_SECRET is not set"):
        render("{{ secrets.JWT_SECRET }}", ctx)


def test_an_empty_variable_counts_as_unset() -> None:
    with pytest.raises(ConnectorError, match="secret EMPTY is not set"):
        Secrets(ENV).get("EMPTY")


@pytest.mark.parametrize("name", ["", "A-B", "../X", "1ABC", "A B"])
def test_malformed_names_are_refused(name: str) -> None:
    with pytest.raises(ConnectorError, match="not a valid secret name"):
        Secrets(ENV).get(name)


def test_redact_masks_every_handed_out_value_deeply_without_mutating() -> None:
    secrets = Secrets(ENV)
    secrets.get("API_TOKEN")
    data = {"url": "https://x/?t=tok-123/abc", "list": ["tok-123/abc", 7, None, True],
            "tok-123/abc": ("a", "Bearer tok-123/abc"), "nested": {"deep": ["x tok-123%2Fabc"]}}
    redacted = secrets.redact(data)
    assert redacted == {"url": f"https://x/?t={MASK}", "list": [MASK, 7, None, True],
                        MASK: ("a", f"Bearer {MASK}"), "nested": {"deep": [f"x {MASK}"]}}
    assert data["list"][0] == "tok-123/abc"  # the original is untouched
    assert redacted["nested"] is not data["nested"]


def test_redact_masks_the_longest_value_first() -> None:
    secrets = Secrets(ENV)
    secrets.get("SHORT")
    secrets.get("API_TOKEN")
    assert secrets.redact("tok-123/abc and tok") == f"{MASK} and {MASK}"


def test_values_never_handed_out_are_left_alone() -> None:
    secrets = Secrets(ENV)
    assert secrets.redact({"a": "tok-123/abc"}) == {"a": "tok-123/abc"}


def test_redact_error_keeps_retry_hints() -> None:
    secrets = Secrets(ENV)
    secrets.get("API_TOKEN")
    error = redact_error(secrets, ConnectorError("bad tok-123/abc", retryable=True, retry_after=2))
    assert (error.message, error.retryable, error.retry_after) == (f"bad {MASK}", True, 2)
