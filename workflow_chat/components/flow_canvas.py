"""The workflow canvas: a thin Reflex wrapper around React Flow (the JSX file beside this one).

Usage (see DESIGN.md, "The canvas wrapper"):

    flow_canvas(
        nodes=GraphState.flow_nodes,        # flow_view.flow_nodes(graph)
        edges=GraphState.flow_edges,        # flow_view.flow_edges(graph)
        layout_nonce=GraphState.layout_nonce,  # bump when flow_view.needs_layout(graph)
        hydrated=rx.State.is_hydrated,
        editable=GraphState.can_edit,       # False: view only (no drag, connect or delete)
        on_layout=GraphState.save_positions,   # handler(positions: list[dict])
        on_node_drag_stop=EditorState.move,    # handler(positions: list[dict])
        on_connect=EditorState.connect,        # handler(edge: dict)
        on_delete=EditorState.delete_selection,  # handler(selection: dict)
        on_drop_kind=EditorState.add_dropped,  # handler(drop: dict)
    )

Place it in a parent with a size: the canvas fills 100% of its parent's width and height.
"""

from __future__ import annotations

import reflex as rx

_SCRIPT = rx.asset("flow_canvas.jsx", shared=True)
# The modules flow_canvas.jsx imports, directly or not, as "./<name>": Reflex copies only the
# files registered here, all into one external folder. A module missing here breaks the build.
MODULES = (
    "flow_dots.jsx",      # the dotted background
    "flow_geometry.js",   # card sizes, handle places, levels of detail
    "flow_gestures.js",   # drag, connect, delete and drop, one server event each
    "flow_keys.js",       # undo, redo and duplicate shortcuts
    "flow_layout.js",     # elkjs in a Web Worker, with a cache
    "flow_merge.js",      # server updates merged into React Flow's nodes and edges
    "flow_node.jsx",      # the node card and the edge
    "flow_styles.js",     # the CSS
    "flow_sync.js",       # the server's graph, laid out and framed
    "flow_viewport.js",   # framing and the pan layer
)
for _module in MODULES:
    rx.asset(_module, shared=True)
# Imported for its side effect by the page itself (the canvas code loads only with a graph):
# starts and warms up the layout worker as soon as the page runs.
_WARM = rx.asset("flow_warm.js", shared=True)


class FlowCanvas(rx.NoSSRComponent):
    """React Flow canvas with elkjs auto-layout; the server stays the source of truth."""

    library = _SCRIPT.importable_path
    tag = "FlowCanvas"
    lib_dependencies: list[str] = [
        "@xyflow/react@^12.12.1",
        "elkjs@^0.12.1",
        "lucide-react@1.26.0",
    ]

    # React Flow nodes and edges, as made by workflow_chat.graph.flow_view.
    nodes: rx.Var[list[dict]]
    edges: rx.Var[list[dict]]
    # A change asks for one elk layout (in a Web Worker, before the nodes are drawn); 0 means none.
    layout_nonce: rx.Var[int]
    # Pass rx.State.is_hydrated: React Flow mounts only after hydration.
    hydrated: rx.Var[bool]
    # False while the canvas only shows a graph (an old version, an answer in flight): nodes
    # cannot be dragged, connected or deleted. Defaults to True.
    editable: rx.Var[bool]

    # After an auto-layout: every node's [{id, x, y}], in one event.
    on_layout: rx.EventHandler[rx.event.passthrough_event_spec(list[dict])]
    # When a drag ends: [{id, x, y}] of every dragged node, in one event.
    on_node_drag_stop: rx.EventHandler[rx.event.passthrough_event_spec(list[dict])]
    # A connection dragged from a source handle to a target handle: {source, target, branch}
    # with branch "true"/"false" from a condition's handle, else None. Self-loops and edges
    # into the trigger are refused in the browser; the server judges the rest.
    on_connect: rx.EventHandler[rx.event.passthrough_event_spec(dict)]
    # Delete/Backspace on a selection (not in a text field): {nodes: [ids], edges: [ids]}.
    # Nothing is removed locally; edges of the deleted nodes are not listed.
    on_delete: rx.EventHandler[rx.event.passthrough_event_spec(dict)]
    # A click on a node: its id.
    on_node_click: rx.EventHandler[rx.event.passthrough_event_spec(str)]
    # The selected node ids, whenever they change.
    on_selection_change: rx.EventHandler[rx.event.passthrough_event_spec(list[str])]
    # Ctrl/Cmd+D with one node selected: its id.
    on_duplicate: rx.EventHandler[rx.event.passthrough_event_spec(str)]
    # A palette item dropped on the canvas: {kind, x, y}, the new node's top-left in flow
    # coordinates (centred under the pointer).
    on_drop_kind: rx.EventHandler[rx.event.passthrough_event_spec(dict)]
    # Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) anywhere on the page but in a text field.
    on_undo: rx.EventHandler[rx.event.no_args_event_spec]
    on_redo: rx.EventHandler[rx.event.no_args_event_spec]

    def add_imports(self) -> dict[str, rx.ImportVar]:
        return {_WARM.importable_path: rx.ImportVar(tag=None, install=False)}


flow_canvas = FlowCanvas.create
