"""A user's preferences: the colour theme, and the language model their chats talk to.

A user who picks a provider gets their own model, base URL and API key for every answer in
their chats; the server's LLM_* environment then only lends its timeout and retry count. The
key is the vault secret LLM_API_KEY (encrypted, masked once saved): it leaves this module only
inside an LLMSettings, whose SecretStr keeps it out of reprs, logs and errors. The server's own
key is never sent to a base URL a user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import SecretStr
from sqlmodel import Session, select

from workflow_chat.llm.settings import (
    DEFAULT_MODELS,
    KEY_VARIABLES,
    LLMSettings,
    LLMSettingsInvalid,
    load_llm_settings,
)
from workflow_chat.models import Credential, UserSettings, utcnow
from workflow_chat.services import credentials
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.vault.cipher import DecryptError
from workflow_chat.vault.keys import MasterKeyError

THEMES = ("light", "dark", "system")
PROVIDERS = tuple(KEY_VARIABLES)  # openai (any compatible server) | anthropic
KEY_NAME = "LLM_API_KEY"
MAX_MODEL = 200
MAX_URL = 500
UNREADABLE_KEY = ("Your saved API key cannot be read on this server (its master key changed): "
                  "save the key again in Settings.")
_SETTINGS = UserSettings.__table__  # type: ignore[attr-defined]
# Prebuilt: every chat turn asks which model answers it.
_MODEL_CHOICE = sa.select(_SETTINGS.c.llm_provider, _SETTINGS.c.llm_model, _SETTINGS.c.llm_base_url).where(
    _SETTINGS.c.user_id == sa.bindparam("user_id"))


@dataclass(frozen=True)
class LLMChoice:
    """What the settings page shows: never the key, only whether one is saved."""

    provider: str  # "" means the server's model
    model: str
    base_url: str
    has_key: bool


def _row(session: Session, user_id: int) -> UserSettings | None:
    return session.get(UserSettings, user_id)


def _model_row(session: Session, user_id: int) -> sa.Row | None:
    """The model columns of the user's settings (provider, model, base URL), if saved."""
    return session.connection().execute(_MODEL_CHOICE, {"user_id": user_id}).first()


def _row_for_write(session: Session, user_id: int) -> UserSettings:
    row = _row(session, user_id) or UserSettings(user_id=user_id)
    row.updated_at = utcnow()
    return row


def get_theme(session: Session, *, user_id: int) -> str:
    """light, dark or system (the default: follow the browser's setting)."""
    row = _row(session, user_id)
    return row.theme if row is not None and row.theme in THEMES else "system"


def set_theme(session: Session, *, user_id: int, theme: str) -> str:
    if theme not in THEMES:
        raise Invalid("The theme is light, dark or system.")
    row = _row_for_write(session, user_id)
    row.theme = theme
    session.add(row)
    session.flush()
    return theme


def _has_key(session: Session, user_id: int) -> bool:
    found = session.exec(
        select(Credential.id).where(Credential.user_id == user_id, Credential.name == KEY_NAME)
    ).first()
    return found is not None


def get_llm_choice(session: Session, *, user_id: int) -> LLMChoice:
    row = _row(session, user_id)
    provider = row.llm_provider if row is not None and row.llm_provider else ""
    return LLMChoice(
        provider=provider,
        model=(row.llm_model or "") if provider and row else "",
        base_url=(row.llm_base_url or "") if provider and row else "",
        has_key=_has_key(session, user_id),
    )


def _check_model(model: str, provider: str) -> str:
    model = (model or "").strip() or DEFAULT_MODELS[provider]
    if len(model) > MAX_MODEL or not model.isprintable() or " " in model:
        raise Invalid(f"The model name has no spaces and at most {MAX_MODEL} characters.")
    return model


def _check_base_url(url: str) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > MAX_URL or not url.isprintable() or " " in url:
        raise Invalid(f"The base URL has no spaces and at most {MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise Invalid("The base URL is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("The base URL starts with http:// or https:// and names a host, "
                      "like https://openrouter.ai/api/v1.")
    if parts.username or parts.password:
        # Stored in plain text: a credential belongs in the key field, which the vault encrypts.
        raise Invalid("Put the key in the API key field, not in the URL.")
    return url


def save_llm_choice(
    session: Session, *, user_id: int, provider: str, model: str = "", base_url: str = "",
    api_key: str = "", ip: str | None = None,
) -> LLMChoice:
    """Use the user's own model (`provider` openai or anthropic) or the server's (""). An empty
    model means the provider's default; an empty `api_key` keeps the saved one. Raises Invalid
    (nothing saved) or MasterKeyError (the vault cannot encrypt on this server)."""
    provider = (provider or "").strip().lower()
    if provider and provider not in PROVIDERS:
        raise Invalid(f"The provider is one of {', '.join(PROVIDERS)}.")
    row = _row_for_write(session, user_id)
    if provider:
        row.llm_model, row.llm_base_url = _check_model(model, provider), _check_base_url(base_url)
    else:
        row.llm_model = row.llm_base_url = None
    row.llm_provider = provider or None
    if api_key and api_key.strip():
        store = credentials.replace_value if _has_key(session, user_id) else credentials.create_credential
        store(session, user_id=user_id, name=KEY_NAME, value=api_key.strip(), ip=ip)
    session.add(row)
    session.flush()
    return get_llm_choice(session, user_id=user_id)


def remove_llm_key(session: Session, *, user_id: int, ip: str | None = None) -> LLMChoice:
    if _has_key(session, user_id):
        credentials.delete_credential(session, user_id=user_id, name=KEY_NAME, ip=ip)
    return get_llm_choice(session, user_id=user_id)


def _server_settings() -> LLMSettings | None:
    try:
        return load_llm_settings()
    except LLMSettingsInvalid:
        return None


def llm_settings_for(session: Session, *, user_id: int) -> LLMSettings | None:
    """The user's own LLM settings, with their key decrypted; None when they use the server's
    (the caller then reads the environment as before). Raises Invalid when the saved key
    cannot be decrypted."""
    row = _model_row(session, user_id)
    if row is None or not row.llm_provider:
        return None
    try:
        key = credentials.resolve(session, user_id=user_id, name=KEY_NAME)
    except NotFound:
        key = None
    except (DecryptError, MasterKeyError):
        raise Invalid(UNREADABLE_KEY) from None
    server = _server_settings() or LLMSettings()
    return LLMSettings(
        provider=row.llm_provider,  # type: ignore[arg-type]
        api_key=SecretStr(key) if key else None,
        base_url=row.llm_base_url,
        model=row.llm_model or DEFAULT_MODELS[row.llm_provider],
        timeout_seconds=server.timeout_seconds,
        max_retries=server.max_retries,
    )


def uses_a_model(session: Session, *, user_id: int) -> bool:
    """Whether the user's chats are answered by a model (else the offline planner), decided
    without decrypting anything."""
    row = _model_row(session, user_id)
    if row is not None and row.llm_provider:
        return bool(row.llm_base_url) or _has_key(session, user_id)
    server = _server_settings()
    return server is not None and server.configured
