"""The inspector's look: the drawer and one widget per field type, all driven by FieldRow data.

Nothing here knows a node kind: rows come from graph.form_fields (the kind's JSON Schema). The
state class is passed in, so this module does not import the inspector's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from workflow_chat.graph.form_fields import (
    FieldSpec, config_with, cron_preview, display_value, form_fields, is_visible, parse_value,
)

SECRET_NOTE = ("Only the secret's name is stored in the workflow. Its value stays in the vault "
               "and is filled in when the workflow runs.")
_MONO = "var(--code-font-family, ui-monospace, monospace)"
# Controlled inputs send their text once typing pauses, not on every key.
_DEBOUNCE = 400
# Esc closes the panel, wherever the focus is (one listener, no event per key to the server).
_ESC_HOOK = """
useEffect(() => {
  const onKey = (e) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    document.querySelector('[data-testid="inspector-close"]')?.click();
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}, []);
"""


@dataclass
class FieldRow:
    key: str
    name: str
    label: str
    widget: str
    required: bool
    options: list[str]
    help: str
    text: str
    checked: bool
    error: str
    preview: str


def field_rows(node_id: str, kind: str, config: dict[str, Any], drafts: dict[str, str],
               errors: dict[str, str]) -> list[FieldRow]:
    """The visible fields of a node, showing what was typed while it is invalid (or means
    the same as what is stored, so a save never rewrites the text under the cursor)."""
    rows = []
    for spec in form_fields(kind):
        if not is_visible(spec, config):
            continue
        error = errors.get(spec.name, "")
        draft = drafts.get(spec.name)
        keep = draft is not None and (error or _means_stored(kind, config, spec, draft))
        text = draft if keep else display_value(spec, config.get(spec.name))
        rows.append(FieldRow(
            key=f"{node_id}:{spec.name}", name=spec.name, label=spec.label, widget=spec.widget,
            required=spec.required, options=list(spec.options), help=spec.help, text=text,
            checked=config.get(spec.name) is True, error=error,
            preview="" if error or spec.widget != "cron" else cron_preview(text),
        ))
    return rows


def _means_stored(kind: str, config: dict[str, Any], spec: FieldSpec, text: str) -> bool:
    try:
        return config_with(kind, config, spec.name, parse_value(spec, text)) == config
    except ValueError:  # pydantic's ValidationError is a ValueError too
        return False


def _text_input(row: FieldRow, state: Any, **props: Any) -> rx.Component:
    return rx.input(value=row.text, on_change=lambda v: state.set_field(row.name, v),
                    debounce_timeout=_DEBOUNCE, disabled=state.lock_reason != "", size="2",
                    width="100%", data_testid="field-" + row.name, **props)


def _text_area(row: FieldRow, state: Any, **props: Any) -> rx.Component:
    return rx.text_area(value=row.text, on_change=lambda v: state.set_field(row.name, v),
                        debounce_timeout=_DEBOUNCE, disabled=state.lock_reason != "", size="2",
                        width="100%", resize="vertical", data_testid="field-" + row.name, **props)


def _hint_menu(row: FieldRow, state: Any) -> rx.Component:
    item = lambda hint: rx.menu.item(  # noqa: E731
        rx.text(hint, font_family=_MONO, size="1"), on_click=state.insert_hint(row.name, hint),
        data_testid="template-hint",
    )
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("braces", size=13), "Insert value", variant="ghost",
                                  size="1", color_scheme="gray", disabled=state.lock_reason != "",
                                  data_testid="insert-value")),
        rx.menu.content(rx.text("Outputs of earlier steps", size="1", color=rx.color("gray", 10),
                                padding="4px 8px"), rx.foreach(state.hints, item),
                        align="end", size="1", max_width="320px"),
    )


def _control(row: FieldRow, state: Any) -> rx.Component:
    disabled = state.lock_reason != ""
    return rx.match(
        row.widget,
        ("switch", rx.switch(checked=row.checked, disabled=disabled,
                             on_change=lambda v: state.set_field(row.name, v),
                             data_testid="field-" + row.name)),
        ("select", rx.select.root(
            rx.select.trigger(width="100%", data_testid="field-" + row.name),
            rx.select.content(rx.foreach(row.options, lambda o: rx.select.item(o, value=o))),
            value=row.text, disabled=disabled, size="2",
            on_change=lambda v: state.set_field(row.name, v))),
        ("number", _text_input(row, state, type="number", step="any")),
        ("textarea", _text_area(row, state, rows="4")),
        ("json", _text_area(row, state, rows="5", font_family=_MONO, font_size="12px",
                            spell_check=False)),
        ("template", _text_area(row, state, rows="4", font_family=_MONO, font_size="12px",
                                spell_check=False)),
        ("cron", rx.vstack(
            _text_input(row, state, font_family=_MONO, placeholder="0 9 * * 1-5"),
            rx.cond(row.preview != "", rx.hstack(
                rx.icon("calendar-clock", size=13), rx.text(row.preview, size="1"),
                spacing="1", align="center", color=rx.color("accent", 11),
                data_testid="cron-preview")),
            spacing="1", width="100%")),
        ("secret", rx.vstack(
            _text_input(row, state, font_family=_MONO, placeholder="SECRET_NAME"),
            rx.hstack(rx.icon("lock", size=13, flex_shrink="0", margin_top="2px"),
                      rx.text(SECRET_NOTE, size="1"), spacing="1", align="start",
                      color=rx.color("gray", 10), data_testid="secret-note"),
            spacing="1", width="100%")),
        ("list", _text_input(row, state, placeholder="Comma-separated, e.g. bug, question")),
        _text_input(row, state),
    )


def _field(row: FieldRow, state: Any) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(row.label, size="2", weight="medium", as_="label"),
            rx.cond(row.required, rx.text("*", size="2", color=rx.color("red", 9))),
            rx.spacer(),
            rx.cond((row.widget == "template") & (state.hints.length() > 0),
                    _hint_menu(row, state)),
            spacing="1", align="center", width="100%", min_height="24px",
        ),
        _control(row, state),
        rx.cond(row.error != "", rx.hstack(
            rx.icon("circle-alert", size=13, flex_shrink="0", margin_top="2px"),
            rx.text(row.error, size="1"), spacing="1", align="start",
            color=rx.color("red", 11), data_testid="field-error")),
        rx.cond(row.help != "", rx.text(row.help, size="1", color=rx.color("gray", 10))),
        spacing="1", width="100%", key=row.key, data_testid="inspector-field",
    )


def _header(state: Any) -> rx.Component:
    return rx.hstack(
        rx.center(rx.icon(state.kind_icon, size=18, color="white"), background=state.kind_colour,
                  width="34px", height="34px", border_radius="9px", flex_shrink="0"),
        rx.vstack(
            rx.text(state.kind_title, size="1", weight="medium", color=rx.color("gray", 10),
                    text_transform="uppercase", letter_spacing="0.04em"),
            rx.text(state.inspected_id, size="1", font_family=_MONO, color=rx.color("gray", 9)),
            spacing="0", flex="1", min_width="0",
        ),
        rx.icon_button(rx.icon("x", size=16), variant="ghost", color_scheme="gray", size="2",
                       aria_label="Close inspector", title="Close (Esc)", on_click=state.close,
                       data_testid="inspector-close"),
        align="center", spacing="3", width="100%",
    )


def _notices(state: Any) -> rx.Component:
    callout = lambda text, icon, scheme: rx.callout(  # noqa: E731
        text, icon=icon, color_scheme=scheme, size="1", width="100%")
    return rx.fragment(
        rx.cond(state.lock_reason != "", callout(state.lock_reason, "lock", "amber")),
        rx.foreach(state.problems, lambda p: callout(p, "triangle-alert", "red")),
    )


def inspector_body(state: Any) -> rx.Component:
    label = rx.vstack(
        rx.input(value=state.node_label, on_change=state.set_label, debounce_timeout=_DEBOUNCE,
                 disabled=state.lock_reason != "", size="3", width="100%",
                 font_weight="500", aria_label="Step name", data_testid="inspector-label"),
        rx.cond(state.label_error != "", rx.text(state.label_error, size="1",
                                                  color=rx.color("red", 11))),
        spacing="1", width="100%",
    )
    fields = rx.cond(
        state.fields.length() > 0,
        rx.vstack(rx.foreach(state.fields, lambda row: _field(row, state)), spacing="4",
                  width="100%"),
        rx.text(state.kind_about, " Nothing to set up here.", size="2",
                color=rx.color("gray", 10), data_testid="no-settings"),
    )
    return rx.vstack(
        rx.window_event_listener(hooks=[_ESC_HOOK]),
        rx.vstack(_header(state), label, spacing="3", width="100%", padding="16px 16px 14px",
                  border_bottom=f"1px solid {rx.color('gray', 4)}"),
        rx.scroll_area(
            rx.vstack(_notices(state), fields, spacing="4", width="100%", padding="16px"),
            type="hover", scrollbars="vertical", flex="1", min_height="0",
        ),
        position="absolute", top="0", right="0", bottom="0", width="340px", max_width="100%",
        spacing="0", z_index="10", background=rx.color("gray", 1),
        border_left=f"1px solid {rx.color('gray', 5)}",
        box_shadow="-8px 0 24px -12px rgba(15, 23, 42, 0.18)",
        data_testid="inspector",
    )
