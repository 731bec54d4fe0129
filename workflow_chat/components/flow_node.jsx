// One workflow step on the canvas: its card, handles, problems and run status, and the styles.
// Imported by flow_canvas.jsx (both files are shared assets of flow_canvas.py).
import { memo } from "react";
import { Handle, Position, SmoothStepEdge, useStore } from "@xyflow/react";
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
import TriangleAlert from "lucide-react/dist/esm/icons/triangle-alert.mjs";
import Webhook from "lucide-react/dist/esm/icons/webhook.mjs";

// Keyed by the registry's icon names (workflow_chat/nodes); unknown names fall back to Box.
const ICONS = {
  box: Box, clock: Clock, "git-branch": GitBranch, globe: Globe, hourglass: Hourglass,
  mail: Mail, merge: Merge, "message-square": MessageSquare, play: Play, shuffle: Shuffle,
  sparkles: Sparkles, webhook: Webhook,
};
export const EDGE_COLOUR = "#94a3b8";
export const BRANCH_COLOURS = { true: "#15803d", false: "#b91c1c" };
// Every card has a fixed size (CSS below), so the canvas knows it before React Flow measures
// anything: elk lays a graph out before its first paint, and off-screen nodes need no measuring.
export const NODE_WIDTH = 280;
const NODE_HEIGHT = 78;
const BRANCHING_HEIGHT = 90;  // room for the branch names under the card
export const nodeSize = (data) => ({
  width: NODE_WIDTH, height: (data?.branches || []).length ? BRANCHING_HEIGHT : NODE_HEIGHT,
});
// Where React Flow will find the handles (the CSS below: 12 px boxes, border included, centred
// on the card's top or bottom edge, placed within its 1 px border), so edges are drawn and
// off-screen nodes skipped without measuring any node. Check them against the DOM after a CSS
// change: React Flow never re-measures a node whose size it was given.
export function nodeHandles(data) {
  const { width, height } = nodeSize(data);
  const inner = width - 2;
  const branches = data?.branches || [];
  const box = (id, type, position, cx, cy) => ({ id, type, position, x: cx - 6, y: cy - 6, width: 12, height: 12 });
  const handles = [];
  if (data?.category !== "trigger") handles.push(box(null, "target", "top", 1 + inner / 2, 1));
  if (!branches.length) handles.push(box(null, "source", "bottom", 1 + inner / 2, height - 1));
  branches.forEach((b, i) => {
    handles.push(box(b, "source", "bottom", 1 + (inner * (i + 1)) / (branches.length + 1), height - 1));
  });
  return handles;
}
// Zoom levels under which React Flow's element gets .wfc-lod-compact (the label alone, large
// enough to read) and .wfc-lod-box (a tinted box): cheaper to draw, and tiny text is unreadable.
export const COMPACT_UNDER = 0.45;
export const BOX_UNDER = 0.25;
const STATUS_LABELS = {
  pending: "Waiting", running: "Running", succeeded: "Succeeded", failed: "Failed", skipped: "Skipped",
  cancelled: "Cancelled",
};

export const CSS = `
.wfc-root { width: 100%; height: 100%; position: relative; background: #f8fafc; }
.wfc-node { width: ${NODE_WIDTH}px; height: ${NODE_HEIGHT}px; box-sizing: border-box; display: flex; gap: 12px; align-items: center;
  padding: 12px 14px 12px 16px; background: #fff; border: 1px solid #e2e8f0; border-radius: 12px;
  box-shadow: 0 1px 2px rgba(15,23,42,.06), 0 4px 14px rgba(15,23,42,.06); position: relative;
  font-family: inherit; color: #0f172a; transition: box-shadow .15s, border-color .15s; }
.wfc-node::before { content: ""; position: absolute; left: -1px; top: -1px; bottom: -1px; width: 5px;
  border-radius: 12px 0 0 12px; background: var(--wfc-c); }
.wfc-node:hover { box-shadow: 0 2px 4px rgba(15,23,42,.08), 0 8px 24px rgba(15,23,42,.10); }
.react-flow__node.selected .wfc-node { border-color: #4f46e5;
  box-shadow: 0 0 0 2px #4f46e5, 0 0 0 6px rgba(79,70,229,.16), 0 8px 24px rgba(15,23,42,.12); }
.wfc-node.wfc-branching { height: ${BRANCHING_HEIGHT}px; padding-bottom: 24px; }
.wfc-node.wfc-highlighted { box-shadow: 0 0 0 3px color-mix(in srgb, var(--wfc-c) 35%, transparent),
  0 8px 24px rgba(15,23,42,.12); animation: wfc-pulse 1.6s ease-out 2; }
.wfc-node.wfc-invalid { border-color: #dc2626; background: #fff7f7;
  box-shadow: 0 0 0 1.5px #dc2626, 0 4px 14px rgba(220,38,38,.12); }
.react-flow__node.selected .wfc-node.wfc-invalid { box-shadow: 0 0 0 2px #dc2626, 0 0 0 6px rgba(79,70,229,.22); }
@keyframes wfc-pulse { 0% { transform: scale(1); } 15% { transform: scale(1.03); } 30% { transform: scale(1); } }
.wfc-icon { flex: none; width: 36px; height: 36px; border-radius: 10px; display: grid; place-items: center;
  color: var(--wfc-c); background: color-mix(in srgb, var(--wfc-c) 12%, #fff); }
.wfc-body { min-width: 0; flex: 1; line-height: 1.3; }
.wfc-kind { font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--wfc-c); }
.wfc-label { font-size: 14px; font-weight: 650; margin-top: 1px; }
.wfc-summary { font-size: 12.5px; color: #64748b; margin-top: 2px; }
.wfc-label, .wfc-summary { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wfc-flags { position: absolute; top: 7px; right: 9px; display: flex; gap: 6px; align-items: center; }
.wfc-problem { color: #dc2626; display: grid; cursor: help; }
.wfc-status { width: 9px; height: 9px; border-radius: 50%; background: #cbd5e1; }
.wfc-status-running { background: #2563eb; animation: wfc-blink 1s ease-in-out infinite; }
.wfc-status-succeeded { background: #16a34a; }
.wfc-status-failed { background: #dc2626; }
.wfc-status-skipped { background: transparent; border: 1.5px dashed #94a3b8; }
.wfc-status-cancelled { background: #f59e0b; }
@keyframes wfc-blink { 50% { opacity: .35; } }
.wfc-node .react-flow__handle { width: 12px; height: 12px; min-width: 0; min-height: 0;
  background: #fff; border: 2px solid #94a3b8; transition: transform .1s, background .1s; }
.wfc-node .react-flow__handle.connectingto, .wfc-node .react-flow__handle:hover {
  transform: translate(-50%, 50%) scale(1.3); background: #4f46e5; border-color: #4f46e5; }
.wfc-node .react-flow__handle-top.connectingto, .wfc-node .react-flow__handle-top:hover {
  transform: translate(-50%, -50%) scale(1.3); }
.wfc-readonly .wfc-node .react-flow__handle { opacity: 0; }
.wfc-readonly .wfc-node.wfc-branching .react-flow__handle-bottom { opacity: 1; }
.wfc-branch { position: absolute; bottom: 6px; transform: translateX(-50%); font-size: 10.5px;
  font-weight: 600; letter-spacing: .03em; text-transform: uppercase; }
.wfc-root .react-flow__edge-textbg { fill: #fff; }
.wfc-root .react-flow__edge.selected .react-flow__edge-path { stroke: #4f46e5 !important; stroke-width: 2.4 !important; }
.wfc-root .react-flow__minimap { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
.wfc-root .react-flow__controls { border-radius: 8px; overflow: hidden; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
.wfc-drop-hint { outline: 2px dashed #4f46e5; outline-offset: -6px; }
.react-flow__viewport.wfc-moving { will-change: transform; }
.wfc-dots { position: absolute; left: 0; top: 0; width: calc(100% + 120px); height: calc(100% + 120px);
  z-index: -1; pointer-events: none; will-change: transform; }
.wfc-lod-compact .wfc-node, .wfc-lod-box .wfc-node { box-shadow: none; transition: none; }
.wfc-lod-compact .wfc-icon, .wfc-lod-compact .wfc-kind, .wfc-lod-compact .wfc-summary,
.wfc-lod-compact .wfc-branch { display: none; }
.wfc-lod-compact .wfc-label { font-size: 27px; font-weight: 700; margin: 0; }
.wfc-lod-box .wfc-icon, .wfc-lod-box .wfc-body, .wfc-lod-box .wfc-branch { display: none; }
.wfc-lod-box .wfc-node { background: color-mix(in srgb, var(--wfc-c) 22%, #fff); border-color: var(--wfc-c); }
.wfc-lod-compact .wfc-flags, .wfc-lod-box .wfc-flags { top: 10px; right: 10px; gap: 10px; }
.wfc-lod-compact .wfc-status, .wfc-lod-box .wfc-status { width: 28px; height: 28px; }
.wfc-lod-compact .wfc-problem svg, .wfc-lod-box .wfc-problem svg { width: 30px; height: 30px; }
.wfc-lod-compact .react-flow__node.selected .wfc-node, .wfc-lod-box .react-flow__node.selected .wfc-node {
  box-shadow: 0 0 0 8px #4f46e5; }
.wfc-lod-compact .wfc-node.wfc-invalid, .wfc-lod-box .wfc-node.wfc-invalid { box-shadow: 0 0 0 6px #dc2626; }
.wfc-busy { position: absolute; top: 14px; left: 50%; transform: translateX(-50%); z-index: 5;
  pointer-events: none; padding: 6px 12px; border-radius: 999px; background: #fff; color: #475569;
  font-size: 12.5px; box-shadow: 0 1px 4px rgba(15,23,42,.12); }
`;

function Flags({ problems, status }) {
  if (!problems.length && !status) return null;
  return (
    <div className="wfc-flags">
      {problems.length > 0 && (
        <span className="wfc-problem" title={problems.join("\n")} data-testid="node-problems">
          <TriangleAlert size={15} strokeWidth={2.2} />
        </span>
      )}
      {status && (
        <span className={`wfc-status wfc-status-${status}`} title={STATUS_LABELS[status] || status}
          data-status={status} />
      )}
    </div>
  );
}

const boxedOf = (s) => s.transform[2] < BOX_UNDER;

// A smoothstep edge whose label ("true"/"false") is left out zoomed far out: too small to read,
// and measuring it (getBBox) is most of what mounting an edge costs.
export const WorkflowEdge = memo(function WorkflowEdge(props) {
  const boxed = useStore(boxedOf);
  return <SmoothStepEdge {...props} label={boxed ? undefined : props.label} />;
});

// Memoised: React Flow re-renders a node only when its own object changes, and the canvas keeps
// the objects of unchanged nodes across server updates. Zoomed far out (a tinted box, see the
// CSS), the card leaves out its icon, text and handles (React Flow has their places from
// nodeHandles): panning a big graph mounts many nodes a second.
export const WorkflowNode = memo(function WorkflowNode({ data }) {
  const boxed = useStore(boxedOf);
  const Icon = ICONS[data.icon] || Box;
  const branches = data.branches || [];
  const problems = data.problems || [];
  const at = (i) => `${((i + 1) * 100) / (branches.length + 1)}%`;
  const classes = ["wfc-node", branches.length && "wfc-branching", data.highlighted && "wfc-highlighted",
    problems.length && "wfc-invalid"];
  return (
    <div className={classes.filter(Boolean).join(" ")} style={{ "--wfc-c": data.colour }}>
      {!boxed && data.category !== "trigger" && <Handle type="target" position={Position.Top} />}
      {!boxed && <div className="wfc-icon"><Icon size={19} strokeWidth={2} /></div>}
      {!boxed && (
        <div className="wfc-body">
          <div className="wfc-kind">{data.title}</div>
          <div className="wfc-label" title={data.label}>{data.label}</div>
          {data.summary && <div className="wfc-summary" title={data.summary}>{data.summary}</div>}
        </div>
      )}
      <Flags problems={problems} status={data.status} />
      {!boxed && branches.length === 0 && <Handle type="source" position={Position.Bottom} />}
      {!boxed && branches.map((b, i) => (
        <Handle key={b} id={b} type="source" position={Position.Bottom}
          style={{ left: at(i), borderColor: BRANCH_COLOURS[b] }} />
      ))}
      {!boxed && branches.map((b, i) => (
        <span key={b} className="wfc-branch" style={{ left: at(i), color: BRANCH_COLOURS[b] || "#475569" }}>{b}</span>
      ))}
    </div>
  );
});
