// The workflow canvas: React Flow drawing the server's nodes and edges, elkjs laying them out.
// The server stays the source of truth: React Flow keeps positions locally while a drag lasts,
// and each finished gesture (drag, connect, delete, drop) is ONE event; the server answers with
// the new graph. Nothing is added or removed locally.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider,
  useEdgesState, useNodesState, useReactFlow, useStoreApi,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import ELK from "elkjs/lib/elk.bundled.js";
import { BRANCH_COLOURS, CSS, EDGE_COLOUR, WorkflowNode } from "./flow_node.jsx";

const NODE_TYPES = { workflow: WorkflowNode };
// The palette (node_palette.py) puts the kind's name under this type when a drag starts.
const KIND_MIME = "application/x-workflow-kind";
const DELETE_KEYS = ["Delete", "Backspace"];
const NODE_WIDTH = 280;  // .wfc-node's width: a dropped node is centred under the pointer
// layered + thoroughness 1 (DESIGN.md); never NETWORK_SIMPLEX placement (minutes at 1,000 nodes).
const ELK_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.layered.thoroughness": "1",
  "elk.spacing.nodeNode": "48",
  "elk.layered.spacing.nodeNodeBetweenLayers": "64",
  "elk.spacing.edgeNode": "24",
  "elk.layered.spacing.edgeNodeBetweenLayers": "24",
  "elk.layered.nodePlacement.bk.fixedAlignment": "BALANCED",
};

function toFlowEdge(e) {
  const colour = BRANCH_COLOURS[e.label] || "#475569";
  return {
    ...e, type: "smoothstep", label: e.label || undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: EDGE_COLOUR },
    style: { stroke: EDGE_COLOUR, strokeWidth: 1.6 },
    labelStyle: { fill: colour, fontSize: 11, fontWeight: 600 },
    labelBgPadding: [6, 3], labelBgBorderRadius: 6,
  };
}

// One elk run over measured sizes. Every node gets ports where its handles are (top centre in,
// bottom out; a condition's branches in handle order), so a chain stays straight and "true"
// lands left of "false". Node ids never contain ":". Resolves to {id: {x, y}}.
async function elkLayout(elk, nodes, edges) {
  const port = (id, side, x, y) => ({ id, width: 1, height: 1, x, y, layoutOptions: { "elk.port.side": side } });
  const children = nodes.map((n) => {
    const { width, height } = n.measured;
    const outs = (n.data.branches || []).length ? n.data.branches : ["out"];
    return {
      id: n.id, width, height, layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: [
        port(`${n.id}:in`, "NORTH", width / 2, 0),
        ...outs.map((b, i) => port(`${n.id}:${b}`, "SOUTH", ((i + 1) * width) / (outs.length + 1), height)),
      ],
    };
  });
  const branched = new Set(nodes.filter((n) => (n.data.branches || []).length).map((n) => n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const elkEdges = edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({
    id: e.id, targets: [`${e.target}:in`],
    sources: [`${e.source}:${branched.has(e.source) && e.sourceHandle ? e.sourceHandle : "out"}`],
  }));
  const laid = await elk.layout({ id: "root", layoutOptions: ELK_OPTIONS, children, edges: elkEdges });
  return Object.fromEntries(laid.children.map((c) => [c.id, { x: Math.round(c.x), y: Math.round(c.y) }]));
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
  const x = node.position.x * zoom + tx, y = node.position.y * zoom + ty;
  return x >= 0 && y >= 0 && x + node.measured.width * zoom <= width && y + node.measured.height * zoom <= height;
}

function Canvas(props) {
  const { nodes: serverNodes, edges: serverEdges, layoutNonce, storageKey, editable, onLayout,
    onNodeDragStop, onConnect, onDelete, onNodeClick, onSelectionChange, onDropKind } = props;
  const [nodes, setNodes, onNodesChange] = useNodesState([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState([]);
  const { fitView, getNode, getNodes, screenToFlowPosition } = useReactFlow();
  const store = useStoreApi();
  useEditorKeys({ onUndo: props.onUndo, onRedo: props.onRedo, onDuplicate: props.onDuplicate, getNodes });
  const elk = useMemo(() => new ELK(), []);
  const [fitPending, setFitPending] = useState(false);
  const [layoutTick, setLayoutTick] = useState(0);
  const layoutWanted = useRef(null);
  const layoutRunning = useRef(false);
  const knownIds = useRef(new Set());
  const fitOnly = useRef(null);  // ids of nodes an edit added: refit only if one is off screen
  const lastSelection = useRef("");
  const mounted = useRef(true);
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);

  // Merge the server's nodes by id, keeping what React Flow measured and selected.
  useEffect(() => {
    const incoming = serverNodes || [];
    const fresh = incoming.filter((n) => !knownIds.current.has(n.id)).map((n) => n.id);
    if (fresh.length) {
      const sameGraph = incoming.some((n) => knownIds.current.has(n.id));
      fitOnly.current = sameGraph ? new Set(fresh) : null;
      setFitPending(true);
    }
    knownIds.current = new Set(incoming.map((n) => n.id));
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return incoming.map((n) => {
        const o = old.get(n.id);
        if (!o) return { ...n };
        // A node in mid-drag keeps its local position: the server's copy is older.
        const position = o.dragging ? o.position : n.position;
        return { ...n, position, measured: o.measured, selected: o.selected, dragging: o.dragging };
      });
    });
  }, [serverNodes, setNodes]);
  useEffect(() => setEdges((serverEdges || []).map(toFlowEdge)), [serverEdges, setEdges]);

  // A nonce differs from the last one laid out in this tab (sessionStorage, like Reflex's own
  // client token), so a reload does not redo a layout and overwrite later drags.
  useEffect(() => {
    if (layoutNonce && String(layoutNonce) !== sessionStorage.getItem(storageKey)) {
      layoutWanted.current = layoutNonce;
      setLayoutTick((t) => t + 1);
    }
  }, [layoutNonce, storageKey]);

  useEffect(() => {
    const wanted = layoutWanted.current;
    if (wanted == null || layoutRunning.current) return;
    const ids = new Set((serverNodes || []).map((n) => n.id));
    if (ids.size === 0) { layoutWanted.current = null; return; }
    const ready = nodes.length === ids.size &&
      nodes.every((n) => ids.has(n.id) && n.measured?.width && n.measured?.height);
    if (!ready) return;  // runs again when React Flow reports the sizes
    layoutRunning.current = true;
    const started = performance.now();
    elkLayout(elk, nodes, edges).then((positions) => {
      layoutRunning.current = false;
      window.__wfcLastLayoutMs = performance.now() - started;
      if (!mounted.current) return;
      // A newer request, or another graph arrived meanwhile (ids like "fetch" repeat across
      // graphs): lay out again rather than send positions the server would put on that graph.
      const same = knownIds.current.size === ids.size && [...ids].every((i) => knownIds.current.has(i));
      if (layoutWanted.current !== wanted || !same) { setLayoutTick((t) => t + 1); return; }
      layoutWanted.current = null;
      sessionStorage.setItem(storageKey, String(wanted));
      setNodes((ns) => ns.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)));
      fitOnly.current = null;
      setFitPending(true);
      if (onLayout) onLayout(Object.entries(positions).map(([id, p]) => ({ id, x: p.x, y: p.y })));
    }, (error) => { layoutRunning.current = false; layoutWanted.current = null; console.warn("layout failed", error); });
  }, [nodes, edges, serverNodes, layoutTick, elk, storageKey, onLayout, setNodes]);

  // fitView once new nodes are measured, and not before a requested layout has moved them. A
  // node added by an edit only reframes the view when it landed out of sight.
  useEffect(() => {
    if (!fitPending || layoutWanted.current != null || !nodes.length) return;
    if (!nodes.every((n) => n.measured?.width)) return;
    setFitPending(false);
    const only = fitOnly.current;
    fitOnly.current = null;
    if (only && nodes.filter((n) => only.has(n.id)).every((n) => inView(store, n))) return;
    requestAnimationFrame(() => fitView({ padding: 0.2, maxZoom: 1.0, duration: 250 }));
  }, [fitPending, nodes, layoutTick, fitView, store]);

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
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    if (onDropKind) onDropKind({ kind, x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - 30) });
  }, [onDropKind, screenToFlowPosition]);

  return (
    <ReactFlow
      nodes={nodes} edges={edges} nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onNodeDragStop={dragStop}
      onConnect={connect} isValidConnection={validConnection} onBeforeDelete={beforeDelete}
      onNodeClick={nodeClick} onSelectionChange={selectionChange} onDragOver={dragOver} onDrop={drop}
      nodesDraggable={editable} nodesConnectable={editable} deleteKeyCode={editable ? DELETE_KEYS : null}
      minZoom={0.05} maxZoom={2}
    >
      <Background variant="dots" gap={20} size={1.4} color="#cbd5e1" />
      <Controls showInteractive={false} />
      <MiniMap style={{ width: 140, height: 96 }} pannable zoomable nodeColor={(n) => n.data?.colour || EDGE_COLOUR} nodeBorderRadius={6} maskColor="rgba(241,245,249,.7)" />
    </ReactFlow>
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
