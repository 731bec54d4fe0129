// The workflow canvas: React Flow drawing the server's nodes and edges, elkjs laying them out.
// The server stays the source of truth: this file only reports layouts and finished drags.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background, Controls, Handle, MarkerType, MiniMap, Position, ReactFlow, ReactFlowProvider,
  useEdgesState, useNodesState, useReactFlow,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import ELK from "elkjs/lib/elk.bundled.js";
// Deep imports, as Reflex's own rx.icon does: the lucide barrel makes Vite load every icon.
import Box from "lucide-react/dist/esm/icons/box.mjs";
import Clock from "lucide-react/dist/esm/icons/clock.mjs";
import GitBranch from "lucide-react/dist/esm/icons/git-branch.mjs";
import Globe from "lucide-react/dist/esm/icons/globe.mjs";
import Hourglass from "lucide-react/dist/esm/icons/hourglass.mjs";
import Mail from "lucide-react/dist/esm/icons/mail.mjs";
import Merge from "lucide-react/dist/esm/icons/merge.mjs";
import MessageSquare from "lucide-react/dist/esm/icons/message-square.mjs";
import Play from "lucide-react/dist/esm/icons/play.mjs";
import Shuffle from "lucide-react/dist/esm/icons/shuffle.mjs";
import Sparkles from "lucide-react/dist/esm/icons/sparkles.mjs";
import Webhook from "lucide-react/dist/esm/icons/webhook.mjs";

// Keyed by the registry's icon names (workflow_chat/nodes); unknown names fall back to Box.
const ICONS = {
  box: Box, clock: Clock, "git-branch": GitBranch, globe: Globe, hourglass: Hourglass,
  mail: Mail, merge: Merge, "message-square": MessageSquare, play: Play, shuffle: Shuffle,
  sparkles: Sparkles, webhook: Webhook,
};
const EDGE_COLOUR = "#94a3b8";
const BRANCH_COLOURS = { true: "#15803d", false: "#b91c1c" };
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
const CSS = `
.wfc-root { width: 100%; height: 100%; position: relative; background: #f8fafc; }
.wfc-node { width: 280px; box-sizing: border-box; display: flex; gap: 12px; align-items: center;
  padding: 12px 14px 12px 16px; background: #fff; border: 1px solid #e2e8f0; border-radius: 12px;
  box-shadow: 0 1px 2px rgba(15,23,42,.06), 0 4px 14px rgba(15,23,42,.06); position: relative;
  font-family: inherit; color: #0f172a; transition: box-shadow .15s, border-color .15s; }
.wfc-node::before { content: ""; position: absolute; left: -1px; top: -1px; bottom: -1px; width: 5px;
  border-radius: 12px 0 0 12px; background: var(--wfc-c); }
.wfc-node:hover { box-shadow: 0 2px 4px rgba(15,23,42,.08), 0 8px 24px rgba(15,23,42,.10); }
.react-flow__node.selected .wfc-node { border-color: var(--wfc-c);
  box-shadow: 0 0 0 3px color-mix(in srgb, var(--wfc-c) 22%, transparent), 0 8px 24px rgba(15,23,42,.10); }
.wfc-node.wfc-branching { padding-bottom: 24px; }
.wfc-node.wfc-highlighted { box-shadow: 0 0 0 3px color-mix(in srgb, var(--wfc-c) 35%, transparent),
  0 8px 24px rgba(15,23,42,.12); animation: wfc-pulse 1.6s ease-out 2; }
@keyframes wfc-pulse { 0% { transform: scale(1); } 15% { transform: scale(1.03); } 30% { transform: scale(1); } }
.wfc-icon { flex: none; width: 36px; height: 36px; border-radius: 10px; display: grid; place-items: center;
  color: var(--wfc-c); background: color-mix(in srgb, var(--wfc-c) 12%, #fff); }
.wfc-body { min-width: 0; flex: 1; line-height: 1.3; }
.wfc-kind { font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--wfc-c); }
.wfc-label { font-size: 14px; font-weight: 650; margin-top: 1px; }
.wfc-summary { font-size: 12.5px; color: #64748b; margin-top: 2px; }
.wfc-label, .wfc-summary { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wfc-node .react-flow__handle { width: 8px; height: 8px; min-width: 0; min-height: 0; border: 0; background: #cbd5e1; }
.wfc-node .react-flow__handle { opacity: 0; }
.wfc-node.wfc-branching .react-flow__handle-bottom { opacity: 1; }
.wfc-branch { position: absolute; bottom: 6px; transform: translateX(-50%); font-size: 10.5px;
  font-weight: 600; letter-spacing: .03em; text-transform: uppercase; }
.wfc-root .react-flow__edge-textbg { fill: #fff; }
.wfc-root .react-flow__minimap { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
.wfc-root .react-flow__controls { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
`;

function WorkflowNode({ data }) {
  const Icon = ICONS[data.icon] || Box;
  const branches = data.branches || [];
  const at = (i) => `${((i + 1) * 100) / (branches.length + 1)}%`;
  return (
    <div
      className={["wfc-node", branches.length && "wfc-branching", data.highlighted && "wfc-highlighted"].filter(Boolean).join(" ")}
      style={{ "--wfc-c": data.colour }}
    >
      {data.category !== "trigger" && <Handle type="target" position={Position.Top} />}
      <div className="wfc-icon"><Icon size={19} strokeWidth={2} /></div>
      <div className="wfc-body">
        <div className="wfc-kind">{data.title}</div>
        <div className="wfc-label" title={data.label}>{data.label}</div>
        {data.summary && <div className="wfc-summary" title={data.summary}>{data.summary}</div>}
      </div>
      {branches.length === 0 && <Handle type="source" position={Position.Bottom} />}
      {branches.map((b, i) => (
        <Handle key={b} id={b} type="source" position={Position.Bottom} style={{ left: at(i), background: BRANCH_COLOURS[b] }} />
      ))}
      {branches.map((b, i) => (
        <span key={b} className="wfc-branch" style={{ left: at(i), color: BRANCH_COLOURS[b] || "#475569" }}>{b}</span>
      ))}
    </div>
  );
}
const NODE_TYPES = { workflow: WorkflowNode };

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

// Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, except while typing in a field (where
// the browser's own text undo belongs).
function useUndoKeys(onUndo, onRedo) {
  useEffect(() => {
    const onKey = (e) => {
      const t = e.target;
      if (!(e.ctrlKey || e.metaKey) || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
      const key = e.key.toLowerCase();
      const redo = (key === "z" && e.shiftKey) || key === "y";
      if (key !== "z" && key !== "y") return;
      e.preventDefault();
      if (redo) { if (onRedo) onRedo(); } else if (onUndo) onUndo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onUndo, onRedo]);
}

function Canvas({ nodes: serverNodes, edges: serverEdges, layoutNonce, storageKey, onLayout, onNodeDragStop, onUndo, onRedo }) {
  useUndoKeys(onUndo, onRedo);
  const [nodes, setNodes, onNodesChange] = useNodesState([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState([]);
  const { fitView } = useReactFlow();
  const elk = useMemo(() => new ELK(), []);
  const [fitPending, setFitPending] = useState(false);
  const [layoutTick, setLayoutTick] = useState(0);
  const layoutWanted = useRef(null);
  const layoutRunning = useRef(false);
  const knownIds = useRef(new Set());
  const mounted = useRef(true);
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);

  // Merge the server's nodes by id, keeping what React Flow measured and selected.
  useEffect(() => {
    const incoming = serverNodes || [];
    if (incoming.some((n) => !knownIds.current.has(n.id))) setFitPending(true);
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
      setFitPending(true);
      if (onLayout) onLayout(Object.entries(positions).map(([id, p]) => ({ id, x: p.x, y: p.y })));
    }, (error) => { layoutRunning.current = false; layoutWanted.current = null; console.warn("layout failed", error); });
  }, [nodes, edges, serverNodes, layoutTick, elk, storageKey, onLayout, setNodes]);

  // fitView once new nodes are measured, and not before a requested layout has moved them.
  useEffect(() => {
    if (!fitPending || layoutWanted.current != null || !nodes.length) return;
    if (!nodes.every((n) => n.measured?.width)) return;
    setFitPending(false);
    requestAnimationFrame(() => fitView({ padding: 0.2, maxZoom: 1.0, duration: 250 }));
  }, [fitPending, nodes, layoutTick, fitView]);

  const dragStop = useCallback((_event, _node, dragged) => {
    if (onNodeDragStop && dragged?.length) {
      onNodeDragStop(dragged.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) })));
    }
  }, [onNodeDragStop]);

  return (
    <ReactFlow
      nodes={nodes} edges={edges} nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onNodeDragStop={dragStop}
      nodesDraggable nodesConnectable={false} deleteKeyCode={null} minZoom={0.05} maxZoom={2}
    >
      <Background variant="dots" gap={20} size={1.4} color="#cbd5e1" />
      <Controls showInteractive={false} />
      <MiniMap style={{ width: 140, height: 96 }} pannable zoomable nodeColor={(n) => n.data?.colour || EDGE_COLOUR} nodeBorderRadius={6} maskColor="rgba(241,245,249,.7)" />
    </ReactFlow>
  );
}

export function FlowCanvas({ hydrated, id, className, style, ...props }) {
  return (
    <div id={id} className={className ? `wfc-root ${className}` : "wfc-root"} style={style}>
      <style>{CSS}</style>
      {hydrated ? (
        <ReactFlowProvider>
          <Canvas {...props} storageKey={`wfc-layout-nonce:${id || "canvas"}`} />
        </ReactFlowProvider>
      ) : null}
    </div>
  );
}
