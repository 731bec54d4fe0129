"""Times shown in the user's own time zone: the server sends UTC ISO strings, moment formats them."""

from __future__ import annotations

import reflex as rx

CALENDAR = {
    "sameDay": "HH:mm",
    "nextDay": "HH:mm",
    "lastDay": "[Yesterday]",
    "lastWeek": "ddd",
    "nextWeek": "ddd",
    "sameElse": "MMM D",
}


def time_label(iso: rx.Var[str], **props) -> rx.Component:
    return rx.text(rx.moment(iso, calendar=CALENDAR, local=True), size="1", color_scheme="gray",
                   **props)
