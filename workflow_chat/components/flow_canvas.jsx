// The workflow canvas: React Flow drawing the server's nodes and edges, elkjs laying them out.
// The server stays the source of truth: React Flow keeps positions locally while a drag lasts,
// and each finished gesture (drag, connect, delete, drop) is ONE event; the server answers with
// the new graph. Nothing is added or removed locally.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, getViewportForBounds,
  useEdgesState, useNodesState, useReactFlow, useStore, useStoreApi,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { clearLayoutCache, getElk, layoutGraph } from "./flow_layout.js";
import {
  BOX_UNDER, BRANCH_COLOURS, COMPACT_UNDER, CSS, EDGE_COLOUR, NODE_WIDTH, WorkflowEdge, WorkflowNode,
  nodeHandles, nodeSize,
} from "./flow_node.jsx";

const NODE_TYPES = { workflow: WorkflowNode };
const EDGE_TYPES = { workflow: WorkflowEdge };
// The palette (node_palette.py) puts the kind's name under this type when a drag starts.
const KIND_MIME = "application/x-workflow-kind";
const DELETE_KEYS = ["Delete", "Backspace"];
const MIN_ZOOM = 0.05;  // for big graphs (DESIGN.md); a tall 1,000-node chain still overflows it
const FIT = { padding: 0.2, maxZoom: 1.0 };
// Above this many nodes React Flow draws only what is on screen (tests and small graphs keep
// every node in the DOM).
const CULL_OVER = 150;

// Start the layout worker (and its JIT warm-up) now if flow_warm.js has not yet.
if (typeof window !== "undefined") {
  getElk();
  window.__wfcClearLayoutCache = clearLayoutCache;  // for tests/benchmarks/bench_canvas.py
}

const MINIMAP_STYLE = { width: 140, height: 96 };
const minimapColour = (n) => n.data?.colour || EDGE_COLOUR;

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

// Each server update resends every node: keep the objects of unchanged nodes and edges, so React
// Flow redraws only what changed (after a drag or a layout, the positions it already shows).
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
function mergeNodes(prev, incoming) {
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

function mergeEdges(prev, incoming) {
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

const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

// Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, Ctrl/Cmd+D duplicates the one selected
// node; never while typing in a field (the browser's own text undo belongs there).
function useEditorKeys({ onUndo, onRedo, onDuplicate, getNodes }) {
  useEffect(() => {
    const onKey = (e) => {
      if (!(e.ctrlKey || e.metaKey) || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "d") {
        const selected = getNodes().filter((n) => n.selected);
        if (selected.length !== 1) return;
        e.preventDefault();  // the browser would bookmark the page
        if (onDuplicate) onDuplicate(selected[0].id);
        return;
      }
      if (key !== "z" && key !== "y") return;
      e.preventDefault();
      if ((key === "z" && e.shiftKey) || key === "y") { if (onRedo) onRedo(); } else if (onUndo) onUndo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onUndo, onRedo, onDuplicate, getNodes]);
}

// Is the node's whole box on screen? (React Flow's store: container size and [x, y, zoom].)
function inView(store, node) {
  const { width, height, transform: [tx, ty, zoom] } = store.getState();
  const size = nodeSize(node.data);
  const x = node.position.x * zoom + tx, y = node.position.y * zoom + ty;
  return x >= 0 && y >= 0 && x + size.width * zoom <= width && y + size.height * zoom <= height;
}

function bounds(nodes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    const { width, height } = nodeSize(n.data);
    x0 = Math.min(x0, n.position.x); y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + width); y1 = Math.max(y1, n.position.y + height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

// The dotted background (React Flow's <Background> redraws its SVG pattern on every frame of a
// pan): a CSS pattern on a layer one cell larger than the pane, shifted by less than a cell with a
// transform, so a pan only moves pixels already drawn. Written straight to the DOM from the store.
const DOT_GAP = 20;
const mod = (a, b) => ((a % b) + b) % b;
function DotGrid() {
  const ref = useRef(null);
  const store = useStoreApi();
  useEffect(() => {
    const el = ref.current;
    let zoom = null;
    const apply = ({ transform: [tx, ty, z] }) => {
      const gap = DOT_GAP * z;
      if (z !== zoom) {
        zoom = z;
        const r = Math.max(0.6, 0.7 * z);
        el.style.display = gap < 6 ? "none" : "";  // a denser grid is noise, and costly to draw
        el.style.backgroundSize = `${gap}px ${gap}px`;
        el.style.backgroundImage = `radial-gradient(circle at ${gap / 2}px ${gap / 2}px, #cbd5e1 ${r}px, transparent ${r + 0.6}px)`;
      }
      // React Flow's dots sit at flow coordinates that are multiples of the gap.
      el.style.transform = `translate3d(${mod(tx, gap) - 1.5 * gap}px, ${mod(ty, gap) - 1.5 * gap}px, 0)`;
    };
    apply(store.getState());
    return store.subscribe(apply);
  }, [store]);
  return <div ref={ref} className="wfc-dots" />;
}

const lodOf = (s) => { const zoom = s.transform[2]; return zoom < BOX_UNDER ? "box" : zoom < COMPACT_UNDER ? "compact" : "full"; };
const paneReadyOf = (s) => Boolean(s.width && s.height && s.panZoom);

function Canvas(props) {
  const { nodes: serverNodes, edges: serverEdges, layoutNonce, storageKey, editable,
    onNodeDragStop, onConnect, onDelete, onNodeClick, onSelectionChange, onDropKind } = props;
  const [nodes, setNodes, onNodesChange] = useNodesState([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState([]);
  const { getNode, getNodes, screenToFlowPosition, setViewport } = useReactFlow();
  const store = useStoreApi();
  useEditorKeys({ onUndo: props.onUndo, onRedo: props.onRedo, onDuplicate: props.onDuplicate, getNodes });
  const lod = useStore(lodOf);
  const paneReady = useStore(paneReadyOf);
  const [laying, setLaying] = useState(0);  // node count of the layout in flight, 0 when none
  const [frameTick, setFrameTick] = useState(0);
  const pendingFrame = useRef(null);  // nodes to frame once the pane has a size
  const ticket = useRef(0);  // the latest layout request; older answers are dropped
  const failedNonce = useRef(null);
  const knownIds = useRef(new Set());  // ids React Flow has now
  const lastSelection = useRef("");
  const onLayoutRef = useRef(props.onLayout);
  onLayoutRef.current = props.onLayout;
  const mounted = useRef(true);
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);

  // Frame these nodes (positions and fixed sizes are known: no need to wait for React Flow).
  const frame = useCallback((list, duration) => {
    if (!list.length) return;
    const { width, height, panZoom } = store.getState();
    if (!width || !height || !panZoom) { pendingFrame.current = list; setFrameTick((t) => t + 1); return; }
    pendingFrame.current = null;
    setViewport(getViewportForBounds(bounds(list), width, height, MIN_ZOOM, FIT.maxZoom, FIT.padding),
      duration ? { duration } : undefined);
  }, [store, setViewport]);
  useEffect(() => {
    if (paneReady && pendingFrame.current) frame(pendingFrame.current, 0);
  }, [paneReady, frameTick, frame]);

  // Hand nodes and edges to React Flow. A new graph is framed at once; nodes an edit added only
  // reframe the view (animated) when one landed out of sight.
  const show = useCallback((list, edgeList, framing) => {
    const fresh = list.filter((n) => !knownIds.current.has(n.id));
    if (!framing && fresh.length) framing = list.some((n) => knownIds.current.has(n.id)) ? "added" : "all";
    knownIds.current = new Set(list.map((n) => n.id));
    setNodes((prev) => mergeNodes(prev, list));
    setEdges((prev) => mergeEdges(prev, edgeList));
    if (framing === "all") frame(list, 0);
    else if (framing === "added" && fresh.some((n) => !inView(store, n))) frame(list, 250);
  }, [setNodes, setEdges, frame, store]);

  // The server's graph, laid out first when it asks (a layout nonce not yet laid out in this tab:
  // sessionStorage, like Reflex's own client token, so a reload does not redo a layout and
  // overwrite later drags). Sizes are fixed, so elk runs before the nodes are first drawn; until
  // it answers the canvas keeps showing the same graph's old nodes, or nothing for another graph.
  useEffect(() => {
    const incoming = serverNodes || [];
    const incomingEdges = serverEdges || [];
    const nonce = String(layoutNonce || "");
    const wanted = layoutNonce && incoming.length && nonce !== sessionStorage.getItem(storageKey)
      && nonce !== failedNonce.current;
    const mine = ++ticket.current;
    if (!wanted) { setLaying(0); show(incoming, incomingEdges, null); return; }
    if (!incoming.some((n) => knownIds.current.has(n.id))) {
      knownIds.current = new Set();
      setNodes([]);
      setEdges([]);
    }
    setLaying(incoming.length);
    const started = performance.now();
    layoutGraph(incoming, incomingEdges, nodeSize).then(({ positions, cached }) => {
      if (!mounted.current || mine !== ticket.current) return;  // a newer graph or request came
      const ms = performance.now() - started;
      sessionStorage.setItem(storageKey, nonce);
      setLaying(0);
      show(incoming.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)), incomingEdges, "all");
      window.__wfcLastLayout = { ms, cached, nodes: incoming.length, startedAt: started };
      window.__wfcLastLayoutMs = ms;
      const onLayout = onLayoutRef.current;
      if (onLayout) onLayout(incoming.filter((n) => positions[n.id]).map((n) => ({ id: n.id, ...positions[n.id] })));
    }, (error) => {
      if (!mounted.current || mine !== ticket.current) return;
      console.warn("layout failed", error);
      failedNonce.current = nonce;
      setLaying(0);
      show(incoming, incomingEdges, null);
    });
  }, [serverNodes, serverEdges, layoutNonce, storageKey, show, setNodes, setEdges]);

  // While the view moves, the viewport is its own compositor layer: a pan only moves pixels
  // already drawn. Not for good: the browser would keep the old raster scale after a zoom, and
  // the cards would look blurred.
  const moveStart = useCallback(() => {
    store.getState().domNode?.querySelector(".react-flow__viewport")?.classList.add("wfc-moving");
  }, [store]);
  const moveEnd = useCallback(() => {
    store.getState().domNode?.querySelector(".react-flow__viewport")?.classList.remove("wfc-moving");
  }, [store]);

  const dragStop = useCallback((_event, _node, dragged) => {
    if (onNodeDragStop && dragged?.length) {
      onNodeDragStop(dragged.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) })));
    }
  }, [onNodeDragStop]);
  // What React Flow can judge alone; cycles and duplicates are the server's to refuse.
  const validConnection = useCallback(
    (c) => c.source !== c.target && getNode(c.target)?.data?.category !== "trigger", [getNode]);
  const connect = useCallback((c) => {
    const branch = c.sourceHandle === "true" || c.sourceHandle === "false" ? c.sourceHandle : null;
    if (onConnect) onConnect({ source: c.source, target: c.target, branch });
  }, [onConnect]);
  // Delete/Backspace: ask the server instead of deleting locally. Edges of deleted nodes are
  // left out: removing a node removes (and bridges) its edges.
  const beforeDelete = useCallback(async ({ nodes: doomed, edges: cut }) => {
    const gone = new Set(doomed.map((n) => n.id));
    const edgeIds = cut.filter((e) => !gone.has(e.source) && !gone.has(e.target)).map((e) => e.id);
    if (onDelete && (gone.size || edgeIds.length)) onDelete({ nodes: [...gone], edges: edgeIds });
    return false;
  }, [onDelete]);
  const nodeClick = useCallback((_event, node) => { if (onNodeClick) onNodeClick(node.id); }, [onNodeClick]);
  const selectionChange = useCallback(({ nodes: picked }) => {
    const ids = picked.map((n) => n.id);
    if (ids.join("\n") === lastSelection.current) return;
    lastSelection.current = ids.join("\n");
    if (onSelectionChange) onSelectionChange(ids);
  }, [onSelectionChange]);
  const dragOver = useCallback((e) => {
    if (!editable || !e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, [editable]);
  const drop = useCallback((e) => {
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (!kind) return;
    e.preventDefault();
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });  // the card centred under it
    if (onDropKind) onDropKind({ kind, x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - 30) });
  }, [onDropKind, screenToFlowPosition]);

  return (
    <>
    <ReactFlow
      className={`wfc-lod-${lod}`} data-nodes={nodes.length} data-laying={laying || undefined}
      onlyRenderVisibleElements={nodes.length > CULL_OVER} onMoveStart={moveStart} onMoveEnd={moveEnd}
      nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES}
      onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onNodeDragStop={dragStop}
      onConnect={connect} isValidConnection={validConnection} onBeforeDelete={beforeDelete}
      onNodeClick={nodeClick} onSelectionChange={selectionChange} onDragOver={dragOver} onDrop={drop}
      nodesDraggable={editable} nodesConnectable={editable} deleteKeyCode={editable ? DELETE_KEYS : null}
      minZoom={MIN_ZOOM} maxZoom={2}
    >
      <DotGrid />
      <Controls showInteractive={false} />
      <MiniMap style={MINIMAP_STYLE} pannable zoomable nodeColor={minimapColour} nodeBorderRadius={6} maskColor="rgba(241,245,249,.7)" />
    </ReactFlow>
    {laying > 0 && <div className="wfc-busy" data-testid="canvas-busy">Laying out {laying.toLocaleString()} steps…</div>}
    </>
  );
}

export function FlowCanvas({ hydrated, id, className, style, editable = true, ...props }) {
  const classes = ["wfc-root", !editable && "wfc-readonly", className].filter(Boolean).join(" ");
  return (
    <div id={id} className={classes} style={style}>
      <style>{CSS}</style>
      {hydrated ? (
        <ReactFlowProvider>
          <Canvas {...props} editable={editable} storageKey={`wfc-layout-nonce:${id || "canvas"}`} />
        </ReactFlowProvider>
      ) : null}
    </div>
  );
}
