"""Adding steps: the "Add step" menu, the palette strip you drag steps from, and the actions on
the selected step (duplicate, delete). The kinds come from the node registry."""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var

from workflow_chat.nodes import KINDS
from workflow_chat.nodes.base import NodeKind
from workflow_chat.state.editor import EditorState

# flow_canvas.jsx reads the kind from this type when something is dropped on the canvas.
KIND_MIME = "application/x-workflow-kind"
# Triggers are not added but changed: a workflow has exactly one.
PALETTE_KINDS: tuple[NodeKind, ...] = tuple(k for k in KINDS.values() if not k.is_trigger)


def _on_drag_start(kind: NodeKind) -> Var:
    # A plain JS handler: the drag payload must be set synchronously, before any server trip.
    return Var(_js_expr=(
        f"((e) => {{ e.dataTransfer.setData({json.dumps(KIND_MIME)}, {json.dumps(kind.name)}); "
        "e.dataTransfer.effectAllowed = 'copy'; })"
    ))


def _kind_icon(kind: NodeKind, size: int = 16) -> rx.Component:
    return rx.center(
        rx.icon(kind.icon, size=size, color=kind.colour),
        width=f"{size + 14}px",
        height=f"{size + 14}px",
        flex_shrink="0",
        border_radius="8px",
        background=f"color-mix(in srgb, {kind.colour} 12%, white)",
    )


def _menu_item(kind: NodeKind) -> rx.Component:
    return rx.menu.item(
        rx.hstack(
            _kind_icon(kind),
            rx.vstack(
                rx.text(kind.title, size="2", weight="medium"),
                rx.text(kind.description, size="1", color_scheme="gray"),
                spacing="0",
                align="start",
            ),
            align="center",
            spacing="3",
        ),
        on_click=EditorState.add_node(kind.name, None, None),
        height="auto",
        padding="6px 8px",
        data_testid=f"add-{kind.name}",
    )


def _group_label(text: str) -> rx.Component:
    return rx.text(text, size="1", weight="medium", color_scheme="gray", padding="4px 8px")


def add_step_menu() -> rx.Component:
    """"+ Add step": adds after the selected step, or at the end of the flow."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("plus", size=15), "Add step", size="2", variant="solid",
                      disabled=~EditorState.can_edit, data_testid="add-step"),
        ),
        rx.menu.content(
            _group_label("Actions"),
            *[_menu_item(k) for k in PALETTE_KINDS if k.category == "action"],
            rx.menu.separator(),
            _group_label("Logic"),
            *[_menu_item(k) for k in PALETTE_KINDS if k.category == "logic"],
            align="end",
            max_width="340px",
        ),
    )


def _tile(kind: NodeKind) -> rx.Component:
    return rx.tooltip(
        rx.box(
            _kind_icon(kind, size=17),
            draggable=True,
            custom_attrs={"onDragStart": _on_drag_start(kind)},
            on_click=EditorState.add_node(kind.name, None, None),
            cursor="grab",
            padding="3px",
            border_radius="10px",
            _hover={"background": rx.color("gray", 3)},
            aria_label=f"Add {kind.title}",
            data_testid=f"palette-{kind.name}",
        ),
        content=f"{kind.title}: {kind.description} Drag onto the canvas, or click to add.",
        side="right",
    )


def palette_strip() -> rx.Component:
    """A column of steps floating over the canvas's left edge; drag one onto the canvas."""
    return rx.cond(
        EditorState.can_edit,
        rx.vstack(
            *[_tile(k) for k in PALETTE_KINDS],
            spacing="1",
            padding="5px",
            position="absolute",
            top="12px",
            left="12px",
            z_index="5",
            background="white",
            border=f"1px solid {rx.color('gray', 4)}",
            border_radius="12px",
            box_shadow="0 1px 4px rgba(15,23,42,.12)",
            data_testid="palette",
        ),
    )


def selection_actions() -> rx.Component:
    """Floating over the canvas's top-right corner while steps are selected: Duplicate (one
    step) and Delete."""
    selected = EditorState.selected_ids
    return rx.cond(
        EditorState.can_edit & (selected.length() > 0),
        rx.hstack(
            rx.cond(
                selected.length() == 1,
                rx.button(rx.icon("copy", size=14), "Duplicate", variant="ghost",
                          color_scheme="gray", size="1", title="Duplicate (Ctrl+D)",
                          on_click=EditorState.duplicate(selected[0]),
                          data_testid="duplicate-step"),
            ),
            rx.button(rx.icon("trash-2", size=14), "Delete", variant="ghost", color_scheme="red",
                      size="1", title="Delete (Del)",
                      on_click=EditorState.delete_selection({"nodes": selected, "edges": []}),
                      data_testid="delete-step"),
            spacing="1",
            padding="4px",
            position="absolute",
            top="12px",
            right="12px",
            z_index="5",
            background="white",
            border=f"1px solid {rx.color('gray', 4)}",
            border_radius="10px",
            box_shadow="0 1px 4px rgba(15,23,42,.12)",
            data_testid="selection-actions",
        ),
    )
