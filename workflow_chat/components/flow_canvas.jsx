// The workflow canvas: React Flow drawing the server's nodes and edges, elkjs laying them out.
// The server stays the source of truth: React Flow keeps positions locally while a drag lasts,
// and each finished gesture (drag, connect, delete, drop) is ONE event; the server answers with
// the new graph. Nothing is added or removed locally. The parts, each in its own module beside
// this one (all shared assets of flow_canvas.py): flow_sync.js (server graph and layout),
// flow_gestures.js (editing events), flow_viewport.js (framing), flow_keys.js (shortcuts),
// flow_node.jsx (cards and edges), flow_dots.jsx (background), flow_styles.js (CSS).
import { Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { DotGrid } from "./flow_dots.jsx";
import { EDGE_COLOUR, lodOf } from "./flow_geometry.js";
import { useGestures } from "./flow_gestures.js";
import { useEditorKeys } from "./flow_keys.js";
import { clearLayoutCache, getElk } from "./flow_layout.js";
import { WorkflowEdge, WorkflowNode } from "./flow_node.jsx";
import { CSS } from "./flow_styles.js";
import { useServerGraph } from "./flow_sync.js";
import { MAX_ZOOM, MIN_ZOOM, useFraming, useMoveLayer } from "./flow_viewport.js";

const NODE_TYPES = { workflow: WorkflowNode };
const EDGE_TYPES = { workflow: WorkflowEdge };
const DELETE_KEYS = ["Delete", "Backspace"];
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

function Canvas({ nodes: serverNodes, edges: serverEdges, layoutNonce, storageKey, editable, ...events }) {
  const frame = useFraming();
  const { nodes, edges, onNodesChange, onEdgesChange, laying } = useServerGraph({
    serverNodes, serverEdges, layoutNonce, storageKey, onLayout: events.onLayout, frame,
  });
  const gestures = useGestures({ editable, ...events });
  const { getNodes } = useReactFlow();
  useEditorKeys({ onUndo: events.onUndo, onRedo: events.onRedo, onDuplicate: events.onDuplicate, getNodes });
  const lod = useStore(lodOf);  // a re-render only when the zoom crosses a level of detail
  const moveLayer = useMoveLayer();

  return (
    <>
    <ReactFlow
      className={`wfc-lod-${lod}`} data-nodes={nodes.length} data-laying={laying || undefined}
      onlyRenderVisibleElements={nodes.length > CULL_OVER} {...moveLayer}
      nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES}
      onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} {...gestures}
      nodesDraggable={editable} nodesConnectable={editable} deleteKeyCode={editable ? DELETE_KEYS : null}
      minZoom={MIN_ZOOM} maxZoom={MAX_ZOOM}
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
