"""Which language model to talk to, read from the environment.

LLM_* variables win over the OPENAI_* ones, so the app can point at OpenRouter, Ollama or vLLM
without disturbing other tools on the machine that read OPENAI_API_KEY.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_HOST = "api.openai.com"
_NUMBER_VARIABLES = {"timeout_seconds": "LLM_TIMEOUT_SECONDS", "max_retries": "LLM_MAX_RETRIES"}


class LLMSettings(BaseModel):
    """Provider settings. `api_key` is a SecretStr: repr, str and logs show only asterisks."""

    model_config = ConfigDict(frozen=True)

    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str = Field(default=DEFAULT_MODEL, min_length=1)
    timeout_seconds: float = Field(default=60, gt=0)
    # Retries stay off by default: a person is waiting in the chat, and the caller (later the
    # repair loop) decides what to try again; the SDK would otherwise triple the wait.
    max_retries: int = Field(default=0, ge=0, le=5)

    @property
    def configured(self) -> bool:
        """True when a model can be asked: a key is set, or a base URL (Ollama needs no key)."""
        return self.api_key is not None or self.base_url is not None

    @property
    def host(self) -> str:
        """host[:port] of the endpoint, safe to show: no scheme, path or credentials."""
        if not self.base_url:
            return DEFAULT_HOST
        parts = urlsplit(self.base_url)
        if not parts.hostname:
            return "the configured base URL"
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


class LLMSettingsInvalid(ValueError):
    """An LLM_* variable holds a value that cannot be used; the message names the variable."""


def _first(env: Mapping[str, str], *names: str) -> str | None:
    # An empty variable counts as unset: `LLM_BASE_URL=` in a .env file means "not set".
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def load_llm_settings(env: Mapping[str, str] | None = None) -> LLMSettings:
    """Read LLM_API_KEY/OPENAI_API_KEY, LLM_BASE_URL/OPENAI_BASE_URL, LLM_MODEL,
    LLM_TIMEOUT_SECONDS and LLM_MAX_RETRIES (from `env`, default os.environ).

    Raises LLMSettingsInvalid naming the variable when a number does not parse.
    """
    env = os.environ if env is None else env
    key = _first(env, "LLM_API_KEY", "OPENAI_API_KEY")
    values: dict[str, object] = {
        "api_key": SecretStr(key) if key else None,
        "base_url": _first(env, "LLM_BASE_URL", "OPENAI_BASE_URL"),
        "model": _first(env, "LLM_MODEL") or DEFAULT_MODEL,
    }
    for field, name in _NUMBER_VARIABLES.items():
        raw = _first(env, name)
        if raw is not None:
            values[field] = raw
    try:
        return LLMSettings.model_validate(values)
    except ValidationError as exc:
        item = exc.errors()[0]
        field = str(item["loc"][0]) if item["loc"] else ""
        raise LLMSettingsInvalid(f"{_NUMBER_VARIABLES.get(field, field)}: {item['msg']}") from None

