"""A state instance to call event handlers on directly, as the backend would for one tab."""

from __future__ import annotations

import reflex as rx


def state_for(cls: type[rx.State], token: str = "") -> rx.State:
    """`cls` inside a fresh root state, holding `token` as the tab's local storage would."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.token = token
    return state


async def drain(events) -> list:  # type: ignore[no-untyped-def]
    """Run an async-generator handler to its end; what it yielded."""
    return [event async for event in events]
