// The server's nodes and edges turned into React Flow's, merged into what React Flow already has.
// Each server update resends every node: keeping the objects of unchanged nodes and edges lets
// React Flow redraw only what changed (after a drag or a layout, the positions it already shows).
import { MarkerType } from "@xyflow/react";
import { BRANCH_COLOURS, EDGE_COLOUR, nodeHandles, nodeSize } from "./flow_geometry.js";

function toFlowEdge(e) {
  const colour = BRANCH_COLOURS[e.label] || "#475569";
  return {
    ...e, type: "workflow", label: e.label || undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: EDGE_COLOUR },
    style: { stroke: EDGE_COLOUR, strokeWidth: 1.6 },
    labelStyle: { fill: colour, fontSize: 11, fontWeight: 600 },
    labelBgPadding: [6, 3], labelBgBorderRadius: 6,
  };
}

// Compared by content: the server sends new objects every time.
const dataKeys = new WeakMap();
function dataKey(data) {
  let key = dataKeys.get(data);
  if (key === undefined) { key = JSON.stringify(data); dataKeys.set(data, key); }
  return key;
}

// A React Flow node with its fixed size, already "measured", and its handles: React Flow draws
// edges, culls and frames without measuring, and skips re-measuring a node it mounts (which
// makes panning a big graph, where nodes mount and unmount all the time, much cheaper).
function sized(n) {
  const size = nodeSize(n.data);
  return { ...n, ...size, measured: size, handles: nodeHandles(n.data) };
}

// The server's nodes merged by id, keeping React Flow's selection and, in mid-drag, position.
// Returns `prev` itself when nothing changed.
export function mergeNodes(prev, incoming) {
  const old = new Map(prev.map((n) => [n.id, n]));
  let changed = prev.length !== incoming.length;
  const next = incoming.map((n, i) => {
    const o = old.get(n.id);
    if (!o) { changed = true; return sized(n); }
    const sameData = dataKey(o.data) === dataKey(n.data);
    // A node in mid-drag keeps its local position: the server's copy is older.
    const position = o.dragging ? o.position : n.position;
    if (sameData && o.type === n.type && o.position.x === position.x && o.position.y === position.y) {
      if (prev[i] !== o) changed = true;
      return o;
    }
    changed = true;
    return sameData
      ? { ...o, position }
      : { ...sized(n), position, selected: o.selected, dragging: o.dragging };
  });
  return changed ? next : prev;
}

export function mergeEdges(prev, incoming) {
  const old = new Map(prev.map((e) => [e.id, e]));
  let changed = prev.length !== incoming.length;
  const next = incoming.map((e, i) => {
    const o = old.get(e.id);
    if (o && o.source === e.source && o.target === e.target && (o.sourceHandle ?? null) === (e.sourceHandle ?? null)
        && (o.label || "") === (e.label || "")) {
      if (prev[i] !== o) changed = true;
      return o;
    }
    changed = true;
    return toFlowEdge(e);
  });
  return changed ? next : prev;
}
