"""Settings: the profile (username shown, email editable)."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.settings_section import labelled, section_form, settings_section
from workflow_chat.state.settings import SettingsState


def settings_profile() -> rx.Component:
    # Outside the form: shown, never submitted.
    username = labelled("Username", rx.input(id="username", value=SettingsState.username,
                                             read_only=True, variant="soft", width="100%"),
                        html_for="username", hint="Usernames cannot be changed.")
    form = section_form(
        labelled("Email", rx.input(id="email", name="email", type="email", required=True,
                                   default_value=SettingsState.email, key=SettingsState.email,
                                   auto_complete="email", width="100%"),
                 html_for="email"),
        submit="Save email", testid="save-email", on_submit=SettingsState.save_email,
    )
    return settings_section(name="profile", title="Profile", description="Who you are here.",
                            body=rx.vstack(username, form, spacing="3", width="100%"),
                            error=SettingsState.profile_error)
