// One workflow step on the canvas (its card, handles, problems and run status) and the edge
// between steps. Imported by flow_canvas.jsx (shared assets of flow_canvas.py, in one folder).
import { memo } from "react";
import { BaseEdge, Handle, Position, SmoothStepEdge, useStore } from "@xyflow/react";
import { BRANCH_COLOURS, boxedOf, lodOf } from "./flow_geometry.js";
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
const STATUS_LABELS = {
  pending: "Waiting", running: "Running", succeeded: "Succeeded", failed: "Failed", skipped: "Skipped",
  cancelled: "Cancelled",
};

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

// A smoothstep edge with an arrow. Zoomed far out it is a plain straight line without label,
// arrow or wide click target: a label there is too small to read and measuring it (getBBox) is
// most of what mounting an edge costs, and panning a big graph mounts many edges a second.
export const WorkflowEdge = memo(function WorkflowEdge(props) {
  const boxed = useStore(boxedOf);
  if (!boxed) return <SmoothStepEdge {...props} />;
  const { id, sourceX, sourceY, targetX, targetY, style } = props;
  return <BaseEdge id={id} path={`M${sourceX},${sourceY}L${targetX},${targetY}`} style={style} interactionWidth={0} />;
});

// Memoised: React Flow re-renders a node only when its own object changes, and the canvas keeps
// the objects of unchanged nodes across server updates, or when the zoom crosses a level of
// detail (flow_geometry.js). Below full detail the card draws only what can be read: the label
// (compact), then a tinted box (see flow_styles.js). The handles stay at every level, hidden in a
// box: React Flow reads the handles of a node it mounts from the DOM, and a node mounted without
// them would never get its edges drawn, even once zoomed in.
export const WorkflowNode = memo(function WorkflowNode({ data }) {
  const lod = useStore(lodOf);
  const boxed = lod === "box", full = lod === "full";
  const Icon = ICONS[data.icon] || Box;
  const branches = data.branches || [];
  const problems = data.problems || [];
  const at = (i) => `${((i + 1) * 100) / (branches.length + 1)}%`;
  const classes = ["wfc-node", branches.length && "wfc-branching", data.highlighted && "wfc-highlighted",
    problems.length && "wfc-invalid"];
  return (
    <div className={classes.filter(Boolean).join(" ")} style={{ "--wfc-c": data.colour }}>
      {data.category !== "trigger" && <Handle type="target" position={Position.Top} />}
      {full && <div className="wfc-icon"><Icon size={19} strokeWidth={2} /></div>}
      {!boxed && (
        <div className="wfc-body">
          {full && <div className="wfc-kind">{data.title}</div>}
          <div className="wfc-label" title={data.label}>{data.label}</div>
          {full && data.summary && <div className="wfc-summary" title={data.summary}>{data.summary}</div>}
        </div>
      )}
      <Flags problems={problems} status={data.status} />
      {branches.length === 0 && <Handle type="source" position={Position.Bottom} />}
      {branches.map((b, i) => (
        <Handle key={b} id={b} type="source" position={Position.Bottom}
          style={{ left: at(i), borderColor: BRANCH_COLOURS[b] }} />
      ))}
      {full && branches.map((b, i) => (
        <span key={b} className="wfc-branch" style={{ left: at(i), color: BRANCH_COLOURS[b] || "#475569" }}>{b}</span>
      ))}
    </div>
  );
});
