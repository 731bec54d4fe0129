"""Which language model to talk to, read from the environment.

LLM_* variables win over the OPENAI_* (or ANTHROPIC_*) ones, so the app can point at OpenRouter,
Ollama or vLLM without disturbing other tools on the machine that read OPENAI_API_KEY.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_HOST = "api.openai.com"
DEFAULT_MODELS = {"openai": DEFAULT_MODEL, "anthropic": "claude-haiku-4-5"}
DEFAULT_HOSTS = {"openai": DEFAULT_HOST, "anthropic": "api.anthropic.com"}
# The provider-specific key variable read after LLM_API_KEY.
KEY_VARIABLES = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_VARIABLES = {
    "timeout_seconds": "LLM_TIMEOUT_SECONDS",
    "max_retries": "LLM_MAX_RETRIES",
    "provider": "LLM_PROVIDER",
    "structured_output": "LLM_STRUCTURED_OUTPUT",
}
Provider = Literal["openai", "anthropic"]
StructuredOutput = Literal["auto", "json_schema", "json_object"]


class LLMSettings(BaseModel):
    """Provider settings. `api_key` is a SecretStr: repr, str and logs show only asterisks."""

    model_config = ConfigDict(frozen=True)

    provider: Provider = "openai"
    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str = Field(default=DEFAULT_MODEL, min_length=1)
    # A read timeout: the longest silence tolerated, also between streamed chunks.
    timeout_seconds: float = Field(default=60, gt=0)
    # Extra attempts after a 429, a 5xx or a reset connection (never after 400/401/timeouts);
    # our own loop does them (see retry.py), the SDKs' retries stay off.
    max_retries: int = Field(default=2, ge=0, le=5)
    structured_output: StructuredOutput = "auto"

    @property
    def configured(self) -> bool:
        """True when a model can be asked: a key is set, or a base URL (Ollama needs no key)."""
        return self.api_key is not None or self.base_url is not None

    @property
    def json_schema_output(self) -> bool:
        """Whether to ask for strict JSON-schema output rather than plain JSON mode.

        "auto" trusts it only on api.openai.com: OpenRouter, Ollama and vLLM support it unevenly
        (some ignore it, some reject the request), while JSON mode works nearly everywhere.
        """
        if self.structured_output == "auto":
            return self.provider == "openai" and self.host == DEFAULT_HOST
        return self.structured_output == "json_schema"

    @property
    def key_variable(self) -> str:
        """The variable a person should check when the key is rejected."""
        return f"LLM_API_KEY or {KEY_VARIABLES[self.provider]}"

    @property
    def host(self) -> str:
        """host[:port] of the endpoint, safe to show: no scheme, path or credentials."""
        if not self.base_url:
            return DEFAULT_HOSTS[self.provider]
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
    """Read the settings from `env` (default os.environ):

    LLM_PROVIDER (openai | anthropic, default openai); LLM_API_KEY, else OPENAI_API_KEY or
    ANTHROPIC_API_KEY (per provider); LLM_BASE_URL (openai also OPENAI_BASE_URL); LLM_MODEL;
    LLM_TIMEOUT_SECONDS; LLM_MAX_RETRIES; LLM_STRUCTURED_OUTPUT (auto | json_schema |
    json_object). Raises LLMSettingsInvalid naming the variable when a value does not parse.
    """
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    for field, name in _VARIABLES.items():
        raw = _first(env, name)
        if raw is not None:
            values[field] = raw.lower() if field in ("provider", "structured_output") else raw
    provider = values.get("provider", "openai")
    if provider not in KEY_VARIABLES:
        raise LLMSettingsInvalid(f"LLM_PROVIDER: must be one of {', '.join(KEY_VARIABLES)}")
    key = _first(env, "LLM_API_KEY", KEY_VARIABLES[str(provider)])
    urls = ("LLM_BASE_URL", "OPENAI_BASE_URL") if provider == "openai" else ("LLM_BASE_URL",)
    values |= {
        "api_key": SecretStr(key) if key else None,
        "base_url": _first(env, *urls),
        "model": _first(env, "LLM_MODEL") or DEFAULT_MODELS[str(provider)],
    }
    try:
        return LLMSettings.model_validate(values)
    except ValidationError as exc:
        item = exc.errors()[0]
        field = str(item["loc"][0]) if item["loc"] else ""
        raise LLMSettingsInvalid(f"{_VARIABLES.get(field, field)}: {item['msg']}") from None

