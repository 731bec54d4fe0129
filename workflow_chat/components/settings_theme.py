"""Settings: light, dark or the system's theme, saved with the account."""

from __future__ import annotations

import reflex as rx

from workflow_chat.components.settings_section import settings_section
from workflow_chat.state.settings import SettingsState

CHOICES = (("light", "sun", "Light"), ("dark", "moon", "Dark"), ("system", "monitor", "System"))


def settings_theme() -> rx.Component:
    control = rx.segmented_control.root(
        *(rx.segmented_control.item(rx.hstack(rx.icon(icon, size=14), label, align="center", spacing="1"),
                                    value=value, data_testid=f"theme-{value}")
          for value, icon, label in CHOICES),
        value=SettingsState.theme,
        on_change=SettingsState.save_theme,
    )
    return settings_section(name="theme", title="Appearance",
                            description="Follows you to every browser you sign in on.", body=control)
