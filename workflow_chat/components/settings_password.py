"""Settings: change the password (the current one is required) and log out other sessions;
either one signs out every other browser, device and API token, and keeps this tab in."""

from __future__ import annotations

import reflex as rx

from workflow_chat.auth.passwords import MAX_BYTES, MIN_BYTES
from workflow_chat.components.settings_section import labelled, settings_section
from workflow_chat.state.settings import SettingsState


def _password(label: str, name: str, autocomplete: str, hint: str = "") -> rx.Component:
    # Uncontrolled: the typed password travels only with the submit, never in a var.
    field = rx.input(id=name, name=name, type="password", required=True, auto_complete=autocomplete,
                     width="100%", on_focus=SettingsState.clear_password_error)
    return labelled(label, field, html_for=name, hint=hint)


def settings_password() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _password("Current password", "current_password", "current-password"),
            _password("New password", "new_password", "new-password",
                      hint=f"{MIN_BYTES} to {MAX_BYTES} bytes (accented letters and emoji count "
                           "as several)."),
            _password("Confirm new password", "confirm_password", "new-password"),
            rx.button(rx.cond(SettingsState.password_busy, rx.spinner(size="2"), "Change password"),
                      type="submit", disabled=SettingsState.password_busy,
                      data_testid="change-password"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=SettingsState.change_password,
        reset_on_submit=False,
        width="100%",
    )
    others = rx.hstack(
        rx.button("Log out other sessions", type="button", variant="soft", color_scheme="gray",
                  on_click=SettingsState.log_out_other_sessions, data_testid="log-out-others"),
        rx.text("Every other browser, device and API token must sign in again.", size="1",
                color_scheme="gray"),
        spacing="3",
        align="center",
        wrap="wrap",
    )
    return settings_section(name="password", title="Password and sessions",
                            description="You need your current password to choose a new one. "
                                        "Changing it logs out your other sessions.",
                            body=rx.vstack(form, rx.separator(size="4"), others, spacing="4",
                                           width="100%"),
                            error=SettingsState.password_error)
