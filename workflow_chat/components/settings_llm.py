"""Settings: which language model answers this user's chats, with their own key.

The key field is never filled from the server: once saved, the page only says a key is saved
(masked) and offers to replace or remove it.
"""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.settings_section import labelled, section_form, settings_section
from workflow_chat.services.credentials import HINT
from workflow_chat.state.settings import SERVER_MODEL, SettingsState

PROVIDERS = {SERVER_MODEL: "The server's model", "openai": "OpenAI or compatible (OpenRouter, Ollama, vLLM)",
             "anthropic": "Anthropic"}


def _provider_select() -> rx.Component:
    return labelled(
        "Provider",
        rx.select.root(
            rx.select.trigger(width="100%", id="llm_provider", data_testid="llm-provider"),
            rx.select.content(*(rx.select.item(label, value=value) for value, label in PROVIDERS.items())),
            value=SettingsState.llm_provider,
            on_change=SettingsState.set_llm_provider,
        ),
        html_for="llm_provider",
    )


def _key_field() -> rx.Component:
    saved = rx.hstack(
        rx.badge(rx.icon("key-round", size=12), f"Key saved {HINT}", color_scheme="green",
                 variant="soft", data_testid="llm-key-saved"),
        rx.button("Remove key", type="button", size="1", variant="ghost", color_scheme="red",
                  on_click=SettingsState.remove_llm_key, data_testid="llm-remove-key"),
        align="center",
        spacing="2",
    )
    field = rx.input(id="llm_api_key", name="api_key", type="password", auto_complete="new-password",
                     placeholder=rx.cond(SettingsState.llm_has_key, "Leave empty to keep the saved key",
                                         "sk-…"),
                     width="100%", data_testid="llm-api-key")
    return rx.vstack(
        labelled("API key", field, html_for="llm_api_key",
                 hint="Kept encrypted in your secrets vault as LLM_API_KEY; never shown again."),
        rx.cond(SettingsState.llm_has_key, saved),
        spacing="2",
        width="100%",
    )


def _own_model_fields() -> rx.Component:
    return rx.vstack(
        labelled("Model", rx.input(id="llm_model", name="model", default_value=SettingsState.llm_model,
                                   key=SettingsState.llm_model, placeholder="gpt-4o-mini",
                                   width="100%", data_testid="llm-model"),
                 html_for="llm_model", hint="Empty: the provider's default model."),
        labelled("Base URL", rx.input(id="llm_base_url", name="base_url", type="url",
                                      default_value=SettingsState.llm_base_url,
                                      key=SettingsState.llm_base_url,
                                      placeholder="https://openrouter.ai/api/v1", width="100%",
                                      data_testid="llm-base-url"),
                 html_for="llm_base_url", hint="Empty: the provider's own API."),
        _key_field(),
        spacing="3",
        width="100%",
    )


def settings_llm() -> rx.Component:
    form = section_form(
        _provider_select(),
        rx.cond(SettingsState.llm_provider != SERVER_MODEL, _own_model_fields(),
                rx.text("Your chats use the model this server is set up with.", size="2",
                        color_scheme="gray")),
        submit="Save model settings", testid="save-llm", on_submit=SettingsState.save_llm,
    )
    return settings_section(name="llm", title="Language model",
                            description="Which model answers in your chats.",
                            body=form, error=SettingsState.llm_error)
